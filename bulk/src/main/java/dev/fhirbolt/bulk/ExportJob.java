package dev.fhirbolt.bulk;

import java.util.List;

/** An export job and its state; persisted so that a restart resumes it. Times are epoch milliseconds. */
public record ExportJob(String id, String owner, ExportSpec spec, long asOfT, long transactionTimeMillis,
        Status status, List<Output> outputs, String failure, long createdMillis, Long finishedMillis) {

    public enum Status {
        ACCEPTED,
        RUNNING,
        COMPLETED,
        FAILED,
        CANCELLED
    }

    /** One NDJSON file of the manifest. */
    public record Output(String type, String file, long count) {
    }

    public boolean isActive() {
        return status == Status.ACCEPTED || status == Status.RUNNING;
    }

    public ExportJob with(Status newStatus, List<Output> newOutputs, String newFailure, Long finished) {
        return new ExportJob(id, owner, spec, asOfT, transactionTimeMillis, newStatus, newOutputs, newFailure,
                createdMillis, finished);
    }
}
