package dev.fhirbolt.cluster;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A number no other start of any node of the cluster has had: a counter in the replicated store, taken with a
 * conditional write, so two nodes starting at the same moment get two numbers. Writers that must not make the same
 * keys (the audit trails of the nodes) take their keys from it.
 */
public final class NodeIncarnation {

    private static final byte[] KEY = Bytes.utf8("incarnations");
    private static final int ATTEMPTS = 50;

    private NodeIncarnation() {
    }

    /** Takes the next number (1, 2, ...) from the cluster's counter. */
    public static long next(ConditionalKvStore replicated) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<byte[]> current = replicated.get(LogApplier.META, KEY);
            long next = current.map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L) + 1;
            if (replicated.writeIf(List.of(new KvPrecondition(LogApplier.META, KEY, current)),
                    new KvBatch().put(LogApplier.META, KEY, ByteBuffer.allocate(8).putLong(next).array()))) {
                return next;
            }
        }
        throw new IllegalStateException("could not take a node number: " + ATTEMPTS + " other nodes started at once");
    }
}
