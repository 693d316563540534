package dev.fhirbolt.console;

import java.util.List;

/** What the editing pages (edit, delete, diff, transaction) and the data page show. */
public final class EditViews {

    private EditViews() {
    }

    /** The version before a numeric version id, or null for the first (the history's "changes" link). */
    public static String previous(String versionId) {
        try {
            long v = Long.parseLong(versionId);
            return v > 1 ? Long.toString(v - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One issue of an OperationOutcome: severity, where (FHIRPath) and what. */
    public record Issue(String severity, String location, String text) {
    }

    /** A version conflict: the version that is current now and how it differs from what the user sent. */
    public record Conflict(String currentVersion, String href, List<LineDiff.Line> diff) {
    }

    /**
     * The edit (or create, when {@code id} is null) form.
     *
     * @param version the version the text was read at, sent back as If-Match
     */
    public record Edit(Views.Frame frame, String type, String id, String version, String json, String csrf,
            String message, List<Issue> issues, Conflict conflict) {

        public String action() {
            return "/console/edit/" + type + (id == null ? "" : "/" + id);
        }
    }

    /** A link to a resource found in a message (the referrers of a refused delete). */
    public record Ref(String label, String href) {
    }

    public record Delete(Views.Frame frame, String type, String id, String csrf, String message, List<Issue> issues,
            List<Ref> referrers) {
    }

    public record Diff(Views.Frame frame, String type, String id, String from, String to, List<LineDiff.Line> lines,
            boolean same) {
    }

    /** One entry of a transaction or batch response. */
    public record EntryResult(int index, String status, String location, String href, String outcome,
            boolean failed) {
    }

    public record Transaction(Views.Frame frame, String csrf, String bundle, String message, List<Issue> issues,
            String bundleType, List<EntryResult> entries, int failed) {
    }

    /** A load (upload or demo data) with its progress. */
    public record LoadRow(String id, String name, long committed, long failed, String state, String message,
            String started) {
    }

    /** An exported file to download through the console. */
    public record FileLink(String name, String href, long count) {
    }

    public record ExportRow(String jobId, String level, String started, String state, List<FileLink> files) {
    }

    public record Data(Views.Frame frame, String csrf, List<LoadRow> loads, List<ExportRow> exports,
            List<String> reindexJobs, String reindexNote, int batch) {
    }

    /** A job on the dashboard: an export, a reindex or a load, what it does and how far it got. */
    public record JobRow(String kind, String what, String state, String started) {
    }
}
