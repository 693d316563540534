package dev.fhirbolt.fhir;

import java.util.Locale;
import java.util.Optional;

/** The wire formats Fhirbolt reads and writes. */
public enum FhirFormat {
    JSON("application/fhir+json"),
    XML("application/fhir+xml");

    private final String mediaType;

    FhirFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * Reads a MIME type or a {@code _format} value (json, xml, application/json, text/xml, application/fhir+json;
     * fhirVersion=4.0 ...). Empty when it names neither format.
     */
    public static Optional<FhirFormat> fromMimeType(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT).trim();
        int semicolon = v.indexOf(';');
        if (semicolon >= 0) {
            v = v.substring(0, semicolon).trim();
        }
        return switch (v) {
            case "json", "application/json", "application/fhir+json", "application/json+fhir", "text/json" ->
                    Optional.of(JSON);
            case "xml", "application/xml", "application/fhir+xml", "application/xml+fhir", "text/xml" ->
                    Optional.of(XML);
            default -> Optional.empty();
        };
    }
}
