package dev.fhirbolt.cluster;

import dev.fhirbolt.database.VersionedBody;
import java.time.Instant;
import java.util.Optional;

/** A body from the log whose contents are in the content store: the node's store keeps its reference instead. */
record ReferencedBody(VersionedBody body, ContentRef ref) implements VersionedBody {

    @Override
    public byte[] stamp(long version, Instant lastUpdated) {
        return body.stamp(version, lastUpdated);
    }

    @Override
    public Optional<byte[]> template() {
        return body.template();
    }

    @Override
    public Optional<byte[]> reference() {
        return Optional.of(ref.encode());
    }
}
