package dev.fhirbolt.cluster;

import dev.fhirbolt.contentstore.ContentStore;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the content-store value of a command that every node refused (a version conflict, a stale plan), once the
 * node that wrote it has applied the refusal. Only a command that travelled whole in its log record (kind 4) is freed:
 * no node keeps a reference to the contents of a refused command, and a node replaying the log takes the command
 * from the record, so nothing reads that value again. A command logged as its key alone (kind 3) stays, since a
 * replaying node must fetch it to find that it is refused; accepted commands stay, since history keeps every version.
 * Only the writer deletes, while the request that logged the command still waits for it: one delete, not one per
 * node, and a later copy of the same record (which an idempotent producer should never make) deletes nothing, so the
 * contents of an accepted command are never freed. A delete that fails leaves the value unused, and is logged.
 */
final class RefusedContents {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedContents.class);

    private final Optional<ContentStore> contents;
    private final Predicate<String> awaited;

    /** {@code awaited} tells whether a request of this node waits for the command of a request id. */
    RefusedContents(Optional<ContentStore> contents, Predicate<String> awaited) {
        this.contents = contents;
        this.awaited = awaited;
    }

    /**
     * The command of {@code requestId}, carried whole by its record and kept under {@code key}, was refused by this
     * node (so by every node); call it before the waiting request learns the outcome.
     */
    void refused(String requestId, byte[] key) {
        if (contents.isEmpty() || !awaited.test(requestId)) {
            return;
        }
        try {
            contents.get().delete(key).whenComplete((done, failure) -> {
                if (failure != null) {
                    unfreed(requestId, key, failure);
                }
            });
        } catch (RuntimeException e) {
            unfreed(requestId, key, e);
        }
    }

    private static void unfreed(String requestId, byte[] key, Throwable failure) {
        LOG.warn("could not free the contents of refused command {} ({}); they stay unused in the content store",
                requestId, HexFormat.of().formatHex(key), failure);
    }
}
