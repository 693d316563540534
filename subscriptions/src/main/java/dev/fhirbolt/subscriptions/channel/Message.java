package dev.fhirbolt.subscriptions.channel;

import java.util.Optional;

/**
 * What to send for one notification. For R4 subscriptions: the changed resource's JSON and its {@code Type/id} (an
 * R4 rest-hook with a payload PUTs it to {@code endpoint/Type/id}; without one it POSTs nothing; websocket sends
 * {@code ping id}). For topic-based ones: a notification Bundle.
 */
public record Message(Optional<String> resourcePath, Optional<byte[]> body, boolean bundle) {

    public static Message bundle(byte[] json) {
        return new Message(Optional.empty(), Optional.of(json), true);
    }

    public static Message resource(String path, byte[] json) {
        return new Message(Optional.of(path), Optional.ofNullable(json), false);
    }
}
