package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Weak ETags carry the version id: {@code W/"3"}. */
public final class ETags {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"?([0-9]+)\"?$");

    private ETags() {
    }

    public static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /** Reads If-Match / If-None-Match values; a value that names no version is a client error. */
    public static OptionalLong version(String header, String headerName) {
        if (header == null || header.isBlank()) {
            return OptionalLong.empty();
        }
        Matcher m = ETAG.matcher(header.trim());
        if (!m.matches()) {
            throw FhirException.invalid(headerName + " must be a version ETag such as W/\"3\", got: " + header);
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            throw FhirException.invalid(headerName + " names a version that is too large: " + header);
        }
    }
}
