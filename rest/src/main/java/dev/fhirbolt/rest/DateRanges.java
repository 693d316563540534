package dev.fhirbolt.rest;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dev.fhirbolt.common.FhirException;
import java.time.Instant;
import org.hl7.fhir.r4.model.DateTimeType;

/** A FHIR date/dateTime parameter value read as the time range its precision implies (2020-01 is all January). */
public record DateRanges(Instant start, Instant end) {

    public static DateRanges parse(String name, String value) {
        DateTimeType dt;
        try {
            dt = new DateTimeType(value);
        } catch (RuntimeException e) {
            throw FhirException.invalid(name + " must be a FHIR date or dateTime such as 2024-05-01T10:00:00Z, got '"
                    + value + "'");
        }
        if (dt.getValue() == null) {
            throw FhirException.invalid(name + " has no value");
        }
        if (dt.getTimeZone() == null || !value.matches(".*(Z|[+-]\\d\\d:\\d\\d)$")) {
            dt.setTimeZoneZulu(true);
            dt = new DateTimeType(dt.getValueAsString().replaceAll("Z$", "") + (dt.getPrecision()
                    .ordinal() > TemporalPrecisionEnum.DAY.ordinal() ? "Z" : ""));
        }
        Instant start = dt.getValue().toInstant();
        if (dt.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            start = java.time.LocalDate.parse(padDate(value.substring(0, Math.min(10, value.length()))))
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
        Instant end = switch (dt.getPrecision()) {
            case YEAR -> start.atZone(java.time.ZoneOffset.UTC).plusYears(1).toInstant();
            case MONTH -> start.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant();
            case DAY -> start.plus(java.time.Duration.ofDays(1));
            case MINUTE -> start.plusSeconds(60);
            case SECOND -> start.plusSeconds(1);
            case MILLI -> start.plusMillis(1);
        };
        return new DateRanges(start, end);
    }

    private static String padDate(String partial) {
        return switch (partial.length()) {
            case 4 -> partial + "-01-01";
            case 7 -> partial + "-01";
            default -> partial;
        };
    }
}
