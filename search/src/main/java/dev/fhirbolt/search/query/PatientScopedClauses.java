package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.PatientScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites {@code patient=X} AND {@code code=Y} (or category) into one {@link PatientScopedClause} read from
 * search-patient, where that index holds exactly the same matches: the patient clause asks for local references
 * (Patient/X, the kind search-patient is scoped by) and the other clause for exact token values of a scoped
 * parameter ({@link PatientScope}). Every such token clause gets its own scoped clause (they intersect as usual) and
 * the patient clause goes; anything else is left as it is.
 */
final class PatientScopedClauses {

    private PatientScopedClauses() {
    }

    static List<Clause> combine(List<Clause> clauses) {
        ValueClause patient = null;
        List<String> refs = null;
        for (Clause c : clauses) {
            if (c instanceof ValueClause v && v.code().equals(PatientScope.PATIENT)) {
                refs = patientRefs(v);
                if (refs != null) {
                    patient = v;
                    break;
                }
            }
        }
        if (patient == null) {
            return clauses;
        }
        List<Clause> out = new ArrayList<>(clauses.size());
        boolean combined = false;
        for (Clause c : clauses) {
            List<byte[]> values = c instanceof ValueClause v ? scopedValues(v, refs.size()) : null;
            if (values != null) {
                out.add(new PatientScopedClause(refs, patient, (ValueClause) c, values));
                combined = true;
            } else if (c != patient) {
                out.add(c);
            }
        }
        return combined ? out : clauses;
    }

    /** The references a patient clause asks for, when all are local references (none: null). */
    private static List<String> patientRefs(ValueClause patient) {
        List<byte[]> values = patient.exactValues();
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<String> refs = new ArrayList<>(values.size());
        for (byte[] v : values) {
            if (v[0] != Encoded.LOCAL_REF) {
                return null;
            }
            refs.add(Encoded.parts(v)[0]);
        }
        return refs;
    }

    /** The values of a token clause that search-patient holds, when it holds all of them and they are few. */
    static List<byte[]> scopedValues(ValueClause token, int patients) {
        List<byte[]> values = token.exactValues();
        if (values == null || values.isEmpty() || patients * values.size() > ValueClause.MAX_MERGED) {
            return null;
        }
        for (byte[] v : values) {
            if (!PatientScope.scopes(token.code(), v[0])) {
                return null;
            }
        }
        return values;
    }
}
