package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chained parameters (subject:Patient.name=x, encounter.service-provider.name=y): the chained rest runs as a nested
 * search on each target type, and the clause matches references to what it found. Chains nest to any depth.
 */
final class ChainClauses {

    private ChainClauses() {
    }

    static Optional<Clause> build(QueryContext q, CompiledParam param, ParsedName name, String value) {
        if (param.type() != ParamType.REFERENCE) {
            return Optional.empty();
        }
        Set<String> targets = ReferenceMatcher.targets(param, name.modifier());
        String innerCode = ParsedName.parse(name.chain()).code();
        List<String> applicable = new ArrayList<>();
        for (String target : targets) {
            if (innerCode.startsWith("_has") || q.registry().find(target, innerCode).isPresent()) {
                applicable.add(target);
            }
        }
        if (applicable.isEmpty()) {
            return Optional.empty();
        }
        // the chained search runs now (on the target types); the clause then matches references to what it found,
        // streaming in id order like any reference value when they are few
        List<byte[]> refs = new ArrayList<>();
        for (String target : applicable) {
            for (String id : q.subSearch().ids(target, ClauseFactory.single(name.chain(), value))) {
                refs.add(Encoded.strings(Encoded.LOCAL_REF, target + "/" + id));
            }
        }
        Clause clause = new ValueClause(param.code(), List.of(Alternative.anyOf(refs)), false);
        return Optional.of(clause);
    }
}
