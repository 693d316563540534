package dev.fhirbolt.search.query;

import dev.fhirbolt.fhir.Fhir;
import java.util.Optional;

/**
 * Reverse chaining: _has:Observation:patient:code=x matches resources that an Observation with code x references
 * through its patient parameter. The inner name may itself be a _has (nesting).
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
        return Optional.of(new HasClause(source, refParam, ClauseFactory.single(inner, value)));
    }
}
