package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.PatientScope;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites {@code patient=X} AND {@code code=Y} (or category) into one {@link PatientScopedClause} read from
 * search-patient, where that index holds exactly the same matches: the patient clause asks for local references
 * (Patient/X, the kind search-patient is scoped by; also {@code subject=Patient/X} where subject's Patients are the
 * patient parameter's) and the other clause for exact token values of a scoped parameter ({@link PatientScope}). Every
 * such token clause gets its own scoped clause (they intersect as usual) and the patient clause goes; anything else is
 * left as it is.
 */
final class PatientScopedClauses {

    private PatientScopedClauses() {
    }

    static List<Clause> combine(QueryContext q, String type, List<Clause> clauses) {
        if (!q.scopedIndexes()) {
            return clauses;
        }
        ValueClause patient = null;
        List<String> refs = null;
        for (Clause c : clauses) {
            if (c instanceof ValueClause v && (refs = patientRefs(q, type, v)) != null) {
                patient = v;
                break;
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

    /**
     * The references a clause asks for when it is a patient clause that search-patient can answer: on the patient
     * parameter, all local references; on another reference parameter (subject), all local references to Patients,
     * and only where the type's patient parameter is that parameter's path or its Patients ({@code
     * Observation.subject.where(resolve() is Patient)}), so that both give the same Patient/X values. Else null.
     */
    private static List<String> patientRefs(QueryContext q, String type, ValueClause clause) {
        boolean patientParam = clause.code().equals(PatientScope.PATIENT);
        if (!patientParam && !samePatients(q, type, clause.code())) {
            return null;
        }
        List<byte[]> values = clause.exactValues();
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<String> refs = new ArrayList<>(values.size());
        for (byte[] v : values) {
            if (v[0] != Encoded.LOCAL_REF) {
                return null;
            }
            String ref = Encoded.parts(v)[0];
            if (!patientParam && !ref.startsWith("Patient/")) {
                return null;
            }
            refs.add(ref);
        }
        return refs;
    }

    private static boolean samePatients(QueryContext q, String type, String code) {
        Optional<CompiledParam> patient = q.registry().find(type, PatientScope.PATIENT);
        Optional<CompiledParam> other = q.registry().find(type, code);
        if (patient.isEmpty() || other.isEmpty() || other.get().type() != ParamType.REFERENCE
                || patient.get().path() == null || other.get().path() == null) {
            return false;
        }
        String path = other.get().path();
        String patientPath = patient.get().path();
        return patientPath.equals(path) || patientPath.equals(path + ".where(resolve() is Patient)");
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
