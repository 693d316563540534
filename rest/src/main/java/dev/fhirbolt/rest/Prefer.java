package dev.fhirbolt.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The parts of the Prefer header (RFC 7240) FHIR uses: return, handling and respond-async. */
public record Prefer(Optional<Return> returnPreference, boolean strictHandling, boolean respondAsync) {

    public enum Return {
        MINIMAL,
        REPRESENTATION,
        OPERATION_OUTCOME
    }

    /** Compiled once: {@code String.split} compiles a pattern of two characters anew on every call. */
    private static final Pattern SEPARATORS = Pattern.compile("[,;]");

    public static Prefer parse(List<String> headerValues) {
        Optional<Return> ret = Optional.empty();
        boolean strict = false;
        boolean async = false;
        if (headerValues != null) {
            for (String header : headerValues) {
                for (String token : SEPARATORS.split(header)) {
                    String t = token.trim().toLowerCase(Locale.ROOT).replace("\"", "");
                    switch (t) {
                        case "return=minimal" -> ret = Optional.of(Return.MINIMAL);
                        case "return=representation" -> ret = Optional.of(Return.REPRESENTATION);
                        case "return=operationoutcome" -> ret = Optional.of(Return.OPERATION_OUTCOME);
                        case "handling=strict" -> strict = true;
                        case "handling=lenient" -> strict = false;
                        case "respond-async" -> async = true;
                        default -> {
                        }
                    }
                }
            }
        }
        return new Prefer(ret, strict, async);
    }
}
