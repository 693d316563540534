package dev.fhirbolt.search.reindex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One reindex job and how far it got: the types to walk, the type being walked ({@code typeIndex}) and the last id
 * done in it ({@code afterId}), so that a restart resumes where it stopped. {@code total} is the number of resources
 * counted when it started.
 */
public record ReindexJob(String id, List<String> types, String reason, Status status, int typeIndex, String afterId,
        long done, long total, long createdMillis, long finishedMillis, String failure) {

    public enum Status {
        QUEUED,
        RUNNING,
        COMPLETED,
        FAILED
    }

    public ReindexJob {
        types = List.copyOf(types);
    }

    public boolean finished() {
        return status == Status.COMPLETED || status == Status.FAILED;
    }

    /** e.g. "Observation: 12,000 of 50,000 resources (24%)". */
    public String progress() {
        String where = typeIndex < types.size() ? types.get(typeIndex) + ": " : "";
        if (total < 0) {
            return "queued";
        }
        long percent = total == 0 ? 100 : Math.min(100, done * 100 / total);
        return String.format("%s%,d of %,d resources (%d%%)", where, done, total, percent);
    }

    ReindexJob withTotal(long counted) {
        return new ReindexJob(id, types, reason, status, typeIndex, afterId, done, counted, createdMillis, 0, null);
    }

    ReindexJob running() {
        return new ReindexJob(id, types, reason, Status.RUNNING, typeIndex, afterId, done, total, createdMillis, 0,
                null);
    }

    ReindexJob advanced(String lastId, long more) {
        return new ReindexJob(id, types, reason, status, typeIndex, lastId, done + more, total, createdMillis, 0,
                null);
    }

    ReindexJob nextType() {
        return new ReindexJob(id, types, reason, status, typeIndex + 1, null, done, total, createdMillis, 0, null);
    }

    ReindexJob completed(long now) {
        return new ReindexJob(id, types, reason, Status.COMPLETED, types.size(), null, done, total, createdMillis,
                now, null);
    }

    ReindexJob failed(long now, String why) {
        return new ReindexJob(id, types, reason, Status.FAILED, typeIndex, afterId, done, total, createdMillis, now,
                why);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(id);
            out.writeInt(types.size());
            for (String t : types) {
                out.writeUTF(t);
            }
            out.writeUTF(reason);
            out.writeUTF(status.name());
            out.writeInt(typeIndex);
            out.writeUTF(afterId == null ? "" : afterId);
            out.writeLong(done);
            out.writeLong(total);
            out.writeLong(createdMillis);
            out.writeLong(finishedMillis);
            out.writeUTF(failure == null ? "" : failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ReindexJob decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            in.readByte();
            String id = in.readUTF();
            int n = in.readInt();
            List<String> types = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                types.add(in.readUTF());
            }
            String reason = in.readUTF();
            Status status = Status.valueOf(in.readUTF());
            int typeIndex = in.readInt();
            String afterId = in.readUTF();
            long done = in.readLong();
            long total = in.readLong();
            long created = in.readLong();
            long finished = in.readLong();
            String failure = in.readUTF();
            return new ReindexJob(id, types, reason, status, typeIndex, afterId.isEmpty() ? null : afterId, done,
                    total, created, finished, failure.isEmpty() ? null : failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
