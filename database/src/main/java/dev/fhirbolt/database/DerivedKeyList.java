package dev.fhirbolt.database;

import dev.fhirbolt.storage.Keyspace;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Serializes the keys a resource's derived entries occupy, so the next version can remove exactly those. */
final class DerivedKeyList {

    record Ref(Keyspace keyspace, byte[] key) {
    }

    private DerivedKeyList() {
    }

    static byte[] encode(List<KvEntry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 48);
        for (KvEntry entry : entries) {
            byte[] name = entry.keyspace().name().getBytes(StandardCharsets.UTF_8);
            out.write(name.length);
            out.writeBytes(name);
            out.writeBytes(ByteBuffer.allocate(4).putInt(entry.key().length).array());
            out.writeBytes(entry.key());
        }
        return out.toByteArray();
    }

    static List<Ref> decode(byte[] value) {
        List<Ref> refs = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(value);
        while (b.hasRemaining()) {
            byte[] name = new byte[b.get() & 0xFF];
            b.get(name);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            refs.add(new Ref(new Keyspace(new String(name, StandardCharsets.UTF_8)), key));
        }
        return refs;
    }
}
