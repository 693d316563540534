package dev.fhirbolt.search.index;

import dev.fhirbolt.storage.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which values also go into search-patient, scoped to the patient a resource references, so that
 * {@code Observation?patient=X&code=Y} is one prefix scan of that patient's entries whatever the size of the data.
 *
 * <p>A resource's {@code patient} values of kind R (Patient/123) scope its exact token values (C, S, N: what
 * {@code code}, {@code system|code} and {@code |code} ask for) of the parameters {@link #CODES}: one entry per
 * reference and value. The rule looks at nothing but codes and encoded values, so the entries follow from a
 * resource's search-resource record alone ({@link IndexEntryFinder} finds them for removal that way).
 *
 * <p>Only code and category: they are what patient-scoped searches ask for (SMART apps:
 * {@code Observation?patient=X&category=vital-signs}; lab results by code), and each entry costs every write of a
 * resource with a patient. Text and system-only values are not scoped (they are not searched exactly with a patient).
 */
public final class PatientScope {

    /** The reference parameter that scopes. */
    public static final String PATIENT = "patient";
    /** The parameters whose values are scoped. */
    public static final Set<String> CODES = Set.of("code", "category");

    private final List<byte[]> refs = new ArrayList<>(1);
    private final List<byte[]> codes = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    /** Whether search-patient holds the values of kind {@code kind} of parameter {@code code}. */
    public static boolean scopes(String code, byte kind) {
        return CODES.contains(code) && isExactToken(kind);
    }

    private static boolean isExactToken(byte kind) {
        return kind == Encoded.CODE || kind == Encoded.SYSTEM_CODE || kind == Encoded.NO_SYSTEM_CODE;
    }

    /** Takes note of one value of a resource's parameter {@code code} that the scope may use. */
    void offer(String code, byte[] v) {
        if (v[0] == Encoded.LOCAL_REF && code.equals(PATIENT)) {
            refs.add(Bytes.utf8(Encoded.parts(v)[0]));
        } else if (scopes(code, v[0])) {
            codes.add(Bytes.utf8(code));
            values.add(v);
        }
    }

    /** Takes note of every value of one parameter. */
    void offer(String code, List<byte[]> parameterValues) {
        if (code.equals(PATIENT) || CODES.contains(code)) {
            for (byte[] v : parameterValues) {
                offer(code, v);
            }
        }
    }

    /** The search-patient keys of what was offered: every patient reference with every scoped value. */
    void keys(byte[] type, byte[] id, Consumer<byte[]> out) {
        for (byte[] ref : refs) {
            for (int i = 0; i < values.size(); i++) {
                out.accept(IndexKeys.patientKey(ref, type, codes.get(i), values.get(i), id));
            }
        }
    }
}
