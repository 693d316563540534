package dev.fhirbolt.search.index;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which values also go into search-code-date: a resource's system-qualified codes, each with every date value, so
 * that {@code Observation?code=system|c&date=ge2020-01-01} is one range scan per code that reads only the matches,
 * instead of checking the date of each of the code's resources (of which there are ever more as the data grows).
 *
 * <p>The token values of the parameter {@link #CODE} of kinds S ({@code system|code}) and N ({@code |code}) are
 * paired with the values of the parameter {@link #DATE} (both range entries, L and H): one entry per pair. Plain
 * {@code code=c} (any system) is not paired, to keep the entries per write few; it is answered as before. Like
 * {@link PatientScope}, the rule sees only codes and encoded values, so {@link IndexEntryFinder} finds the entries
 * from the search-resource record.
 */
public final class CodeDates {

    public static final String CODE = "code";
    public static final String DATE = "date";

    private final List<byte[]> codes = new ArrayList<>(2);
    private final List<byte[]> dates = new ArrayList<>(2);

    /** Whether search-code-date pairs the {@link #CODE} values of this kind with dates. */
    public static boolean pairs(byte kind) {
        return kind == Encoded.SYSTEM_CODE || kind == Encoded.NO_SYSTEM_CODE;
    }

    /** Whether a value of the {@link #DATE} parameter is paired (its range entries, or its one entry of a point). */
    public static boolean isDate(byte kind) {
        return kind == Encoded.RANGE_BY_LOW || kind == Encoded.RANGE_BY_HIGH || kind == Encoded.RANGE_POINT;
    }

    void offer(String code, byte[] v) {
        if (code.equals(CODE) && pairs(v[0])) {
            codes.add(v);
        } else if (code.equals(DATE) && isDate(v[0])) {
            dates.add(v);
        }
    }

    void offer(String code, List<byte[]> values) {
        if (code.equals(CODE) || code.equals(DATE)) {
            for (byte[] v : values) {
                offer(code, v);
            }
        }
    }

    /** The search-code-date keys of what was offered. */
    void keys(byte[] type, byte[] id, Consumer<byte[]> out) {
        if (codes.isEmpty() || dates.isEmpty()) {
            return;
        }
        byte[] code = dev.fhirbolt.storage.Bytes.utf8(CODE);
        for (byte[] c : codes) {
            for (byte[] d : dates) {
                out.accept(IndexKeys.codeDateKey(type, code, c, d, id));
            }
        }
    }
}
