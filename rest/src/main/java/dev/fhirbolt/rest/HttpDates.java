package dev.fhirbolt.rest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 7231 dates for Last-Modified and If-Modified-Since. */
public final class HttpDates {

    /** RFC 7231's IMF-fixdate, the one form a server sends: two-digit day, always GMT. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The instant as an IMF-fixdate ({@code Mon, 07 Dec 2026 10:00:00 GMT}). */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Reads an IMF-fixdate or any RFC 1123 date (a one-digit day, a numeric zone); empty for anything else. */
    public static Optional<Instant> parse(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
