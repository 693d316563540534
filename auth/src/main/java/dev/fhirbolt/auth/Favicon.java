package dev.fhirbolt.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The icon browsers ask for at {@code /favicon.ico} on every page (without one, each sign-in, picker and consent
 * page logged a failed request): a 16×16 32-bit ICO, drawn here so that no binary file is kept in the sources.
 */
final class Favicon {

    static final String PATH = "/favicon.ico";
    private static final int SIZE = 16;
    private static final byte[] ICO = draw();

    private Favicon() {
    }

    static byte[] bytes() {
        return ICO.clone();
    }

    static void send(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "image/x-icon");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=86400");
        response.write(true, ByteBuffer.wrap(ICO), callback);
    }

    /** A blue square (the pages' primary colour) with a white bolt-like diagonal. */
    private static byte[] draw() {
        int pixels = SIZE * SIZE * 4;
        int mask = SIZE * 4; // one bit a pixel, rows padded to 32 bits, all zero: every pixel is opaque
        int image = 40 + pixels + mask;
        ByteBuffer b = ByteBuffer.allocate(6 + 16 + image).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 1);            // ICONDIR: an icon, one image
        b.put((byte) SIZE).put((byte) SIZE).put((byte) 0).put((byte) 0)            // ICONDIRENTRY
                .putShort((short) 1).putShort((short) 32).putInt(image).putInt(6 + 16);
        b.putInt(40).putInt(SIZE).putInt(SIZE * 2).putShort((short) 1).putShort((short) 32) // BITMAPINFOHEADER
                .putInt(0).putInt(pixels + mask).putInt(0).putInt(0).putInt(0).putInt(0);
        for (int row = SIZE - 1; row >= 0; row--) {                                 // bottom-up rows, BGRA
            for (int col = 0; col < SIZE; col++) {
                int d = col + row - SIZE + 1;
                boolean bolt = d >= -1 && d <= 1 && col > 2 && col < SIZE - 3;
                if (bolt) {
                    b.put((byte) 0xff).put((byte) 0xff).put((byte) 0xff).put((byte) 0xff);
                } else {
                    b.put((byte) 0xad).put((byte) 0x5c).put((byte) 0x0b).put((byte) 0xff);
                }
            }
        }
        b.put(new byte[mask]);
        return b.array();
    }
}
