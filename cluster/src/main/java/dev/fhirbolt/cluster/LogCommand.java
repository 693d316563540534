package dev.fhirbolt.cluster;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import java.util.List;

/**
 * One record of the cluster's transaction log, as every node decodes it. {@code requestId} names the request that
 * logged it, so that the node serving that request can answer it once its own store has applied the record.
 */
sealed interface LogCommand {

    String requestId();

    /** Resource writes, applied through the commit pipeline (versions, history, indexes, the change feed). */
    record ResourceCommit(String requestId, Commit commit) implements LogCommand {
    }

    /**
     * Plain key-value changes (the auth server's state), applied only when every precondition holds on the node
     * applying them; all nodes decide alike because they apply the same records in the same order.
     */
    record KvChange(String requestId, List<KvPrecondition> preconditions, KvBatch batch) implements LogCommand {
    }

    /**
     * A command whose bytes ({@code command}, a whole encoded command) are also kept in the content store under
     * {@code key}, alone ({@code member} 0) or as member {@code member} of a group of commands put together: a node
     * applies it from the log and keeps references to its resource contents.
     */
    record Addressed(byte[] key, int member, byte[] command) implements LogCommand {
        Addressed(byte[] key, byte[] command) {
            this(key, 0, command);
        }

        @Override
        public String requestId() {
            return "";
        }
    }

    /** A command too large for the log, kept in the content store under {@code key}. */
    record Stored(byte[] key) implements LogCommand {
        @Override
        public String requestId() {
            return "";
        }
    }
}
