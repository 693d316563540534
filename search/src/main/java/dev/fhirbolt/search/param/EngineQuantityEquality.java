package dev.fhirbolt.search.param;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.Pair;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.UcumService;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Whether two Quantities are equal as the R4 FHIRPath engine ({@link FhirPaths}) decides it when a union drops
 * repeated items ({@code FHIRPathEngine.qtyEqual}): by their UCUM canonical forms when both have them, else by code
 * (or unit) and value. It repeats the engine's rules step by step, quirks included (values are compared as strings
 * after stripping trailing zeros, so 100 and 1 are "equal"), because the index must hold exactly what the engine
 * would select.
 *
 * <p>The UCUM conversion is what made a blood pressure's {@code component-value-quantity} expensive in the engine;
 * canonical forms are cached by code and value, which repeat (a systolic 120 mm[Hg] is converted once).
 */
final class EngineQuantityEquality {

    private static final String UCUM_SYSTEM = "http://unitsofmeasure.org";
    private static final int MAX_CACHED = 50_000;
    private static final Map<String, Optional<Pair>> CANONICAL = new ConcurrentHashMap<>();

    private EngineQuantityEquality() {
    }

    /** True, false, or null where the engine has no answer (which its union treats as "not equal"). */
    static Boolean equal(Quantity a, Quantity b) {
        if (!a.hasValue() && !b.hasValue()) {
            return true;
        }
        if (!a.hasValue() || !b.hasValue()) {
            return null;
        }
        Pair ca = canonical(a);
        Pair cb = canonical(b);
        if (ca != null && cb != null) {
            return ca.getCode().equals(cb.getCode())
                    && decimalsEqual(new DecimalType(ca.getValue().asDecimal()),
                            new DecimalType(cb.getValue().asDecimal()));
        }
        if (a.hasCode() || b.hasCode()) {
            if (!a.hasCode() || !b.hasCode() || !a.getCode().equals(b.getCode())) {
                return null;
            }
        } else if (!a.hasUnit() || b.hasUnit() && !a.getUnit().equals(b.getUnit())) {
            return null; // the engine's own asymmetry: no unit on a is "unknown", no unit on b compares the values
        }
        return decimalsEqual(new DecimalType(a.getValue()), new DecimalType(b.getValue()));
    }

    /** The engine's qtyToCanonicalPair: UCUM quantities only, null when UCUM cannot convert. */
    private static Pair canonical(Quantity q) {
        if (!UCUM_SYSTEM.equals(q.getSystem())) {
            return null;
        }
        String code = q.getCode() == null ? "1" : q.getCode();
        String value = q.getValue().toPlainString();
        String key = code + ' ' + value;
        Optional<Pair> known = CANONICAL.get(key);
        if (known == null) {
            known = Optional.ofNullable(convert(FhirPaths.ucum(), value, code));
            if (CANONICAL.size() < MAX_CACHED) {
                CANONICAL.putIfAbsent(key, known);
            }
        }
        return known.orElse(null);
    }

    private static Pair convert(UcumService ucum, String value, String code) {
        try {
            return ucum.getCanonicalForm(new Pair(new Decimal(value), code));
        } catch (UcumException e) {
            return null;
        }
    }

    /** The engine's decEqual. */
    private static boolean decimalsEqual(DecimalType a, DecimalType b) {
        return withoutTrailingZeros(a.primitiveValue()).equals(withoutTrailingZeros(b.primitiveValue()));
    }

    /** The engine's removeTrailingZeros, as it is: zeros go even without a decimal point. */
    private static String withoutTrailingZeros(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        int i = s.length() - 1;
        boolean done = false;
        boolean dot = false;
        while (i > 0 && !done) {
            if (s.charAt(i) == '.') {
                i--;
                dot = true;
            } else if (!dot && s.charAt(i) == '0') {
                i--;
            } else {
                done = true;
            }
        }
        return s.substring(0, i + 1);
    }
}
