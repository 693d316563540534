package dev.fhirbolt.search.query;

import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.search.index.PatientScope;
import java.util.List;
import java.util.Optional;

/**
 * Reverse chaining: _has:Observation:patient:code=x matches resources that an Observation with code x references
 * through its patient parameter. The inner name may itself be a _has (nesting). Through {@code patient} with a code or
 * category, a candidate is checked in search-patient ({@link PatientHasClause}).
 */
final class HasClauses {

    private HasClauses() {
    }

    static Optional<Clause> build(QueryContext q, String type, String name, String value) {
        String[] parts = name.split(":", 4);
        if (parts.length < 4 || !Fhir.isResourceType(parts[1])) {
            throw new IllegalArgumentException("_has needs _has:Type:reference-parameter:parameter, got " + name);
        }
        String source = parts[1];
        String refParam = parts[2];
        String inner = parts[3];
        if (q.registry().find(source, refParam).isEmpty()) {
            return Optional.empty();
        }
        HasClause plain = new HasClause(source, refParam, ClauseFactory.single(inner, value));
        if (refParam.equals(PatientScope.PATIENT) && q.scopedIndexes()) {
            Optional<Clause> innerClause = ClauseFactory.build(q, source, inner, value);
            if (innerClause.orElse(null) instanceof ValueClause token) {
                List<byte[]> values = PatientScopedClauses.scopedValues(token, 1);
                if (values != null) {
                    return Optional.of(new PatientHasClause(plain, source, token, values));
                }
            }
        }
        return Optional.of(plain);
    }
}
