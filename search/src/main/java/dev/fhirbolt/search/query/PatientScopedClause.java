package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code patient=X} AND a token clause on a scoped parameter ({@code code=Y}), answered from search-patient: one
 * id-ordered prefix per patient and value, so the work follows the patient's own resources, not how many resources
 * in all have the value. The same matches as the two clauses intersected ({@link PatientScopedClauses} combines only
 * what search-patient holds exactly).
 */
final class PatientScopedClause implements Clause {

    private final List<String> patients;
    private final ValueClause patient;
    private final ValueClause token;
    private final List<byte[]> values;

    PatientScopedClause(List<String> patients, ValueClause patient, ValueClause token, List<byte[]> values) {
        this.patients = patients;
        this.patient = patient;
        this.token = token;
        this.values = values;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        SortedSet<String> out = new TreeSet<>();
        IdStream s = stream(q, type);
        for (String id = s.next(); id != null; id = s.next()) {
            out.add(id);
        }
        return out;
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        return token.test(q, type, id) && patient.test(q, type, id);
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        long n = 0;
        for (String ref : patients) {
            for (byte[] v : values) {
                n += q.reader().countInPatientScope(ref, type, token.code(), v, cap - n);
                if (n >= cap) {
                    return cap;
                }
            }
        }
        return n;
    }

    @Override
    public boolean streams() {
        return true;
    }

    @Override
    public IdStream stream(QueryContext q, String type) {
        List<IdStream> streams = new ArrayList<>(patients.size() * values.size());
        for (String ref : patients) {
            for (byte[] v : values) {
                streams.add(q.reader().patientStream(ref, type, token.code(), v));
            }
        }
        return streams.size() == 1 ? streams.get(0) : new MergedIdStream(streams);
    }
}
