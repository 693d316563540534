package dev.fhirbolt.search.index;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The range of instants a FHIR date, dateTime or instant denotes, by its precision: "2013" is all of 2013,
 * "2013-01-14T10:00" all of that minute. Both ends are inclusive epoch milliseconds; values without a zone are UTC.
 */
public record DateRange(long low, long high) {

    public static final long MIN = Long.MIN_VALUE + 1;
    public static final long MAX = Long.MAX_VALUE - 1;

    private static final Pattern FORMAT = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    /**
     * The range of a FHIR date, dateTime or instant; IllegalArgumentException, saying what a date looks like, for
     * anything else, impossible calendar dates (2020-02-30, month 13, hour 25, offset +25:00) included.
     */
    public static DateRange parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw notADate(text);
        }
        try {
            return parse(m);
        } catch (java.time.DateTimeException e) {
            throw notADate(text);
        }
    }

    private static IllegalArgumentException notADate(String text) {
        return new IllegalArgumentException("'" + text + "' is not a date: a date is YYYY, YYYY-MM, YYYY-MM-DD or"
                + " YYYY-MM-DDThh:mm:ss with a time zone (Z or +hh:mm), and must exist in the calendar");
    }

    private static DateRange parse(Matcher m) {
        int year = Integer.parseInt(m.group(1));
        ZoneOffset zone = m.group(8) == null || m.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
        if (m.group(2) == null) {
            LocalDate start = LocalDate.of(year, 1, 1);
            return of(start.atStartOfDay(), start.plusYears(1).atStartOfDay(), zone);
        }
        int month = Integer.parseInt(m.group(2));
        if (m.group(3) == null) {
            LocalDate start = LocalDate.of(year, month, 1);
            return of(start.atStartOfDay(), start.plusMonths(1).atStartOfDay(), zone);
        }
        LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
        if (m.group(4) == null) {
            return of(day.atStartOfDay(), day.plusDays(1).atStartOfDay(), zone);
        }
        LocalTime minute = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
        LocalDateTime start = LocalDateTime.of(day, minute);
        if (m.group(6) == null) {
            return of(start, start.plusMinutes(1), zone);
        }
        int second = Integer.parseInt(m.group(6));
        if (second > 60) { // 60 is a leap second, which FHIR allows
            throw new java.time.DateTimeException("second " + second);
        }
        start = start.plusSeconds(second);
        if (m.group(7) == null) {
            return of(start, start.plusSeconds(1), zone);
        }
        String fraction = m.group(7);
        int digits = Math.min(fraction.length(), 9);
        long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
        long step = (long) Math.pow(10, 9 - digits);
        LocalDateTime exact = start.plusNanos(nanos);
        return of(exact, exact.plusNanos(Math.max(step, 1_000_000)), zone);
    }

    private static DateRange of(LocalDateTime start, LocalDateTime endExclusive, ZoneOffset zone) {
        long low = start.toInstant(zone).toEpochMilli();
        long high = endExclusive.toInstant(zone).toEpochMilli() - 1;
        return new DateRange(low, Math.max(low, high));
    }

    public static DateRange instant(long millis) {
        return new DateRange(millis, millis);
    }
}
