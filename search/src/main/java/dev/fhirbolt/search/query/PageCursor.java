package dev.fhirbolt.search.query;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * The opaque _cursor of a page link: which side of which hit the page lies on. Pages are cut by sort key rather than
 * by offset, so resources created or deleted meanwhile never shift a page.
 */
public record PageCursor(boolean forward, Hit boundary) {

    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(forward ? 'n' : 'p');
            out.writeUTF(boundary.type());
            out.writeUTF(boundary.id());
            out.writeByte(boundary.keys().length);
            for (byte[] key : boundary.keys()) {
                out.writeShort(key == null ? -1 : key.length);
                if (key != null) {
                    out.write(key);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    public static PageCursor decode(String token) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(
                Base64.getUrlDecoder().decode(token)))) {
            boolean forward = in.readByte() == 'n';
            String type = in.readUTF();
            String id = in.readUTF();
            byte[][] keys = new byte[in.readByte()][];
            for (int i = 0; i < keys.length; i++) {
                int len = in.readShort();
                if (len >= 0) {
                    keys[i] = in.readNBytes(len);
                }
            }
            return new PageCursor(forward, new Hit(type, id, keys));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the _cursor is not one this server issued");
        }
    }
}
