package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.TokenValues;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamDef;
import dev.fhirbolt.search.param.ParamType;
import java.util.Optional;
import java.util.function.Function;

/** Picks the matcher of a parameter's type. */
final class Matchers {

    private Matchers() {
    }

    static Alternative build(CompiledParam param, String modifier, String raw,
            Function<String, Optional<ParamDef>> byUrl) {
        if (param.type() == ParamType.COMPOSITE) {
            if (modifier != null) {
                throw new UnsupportedModifier(modifier);
            }
            return CompositeMatcher.build(param.def(), raw, byUrl);
        }
        return forType(param.type(), param, modifier, raw);
    }

    static Alternative forType(ParamType type, CompiledParam param, String modifier, String raw) {
        return switch (type) {
            case STRING -> StringMatcher.build(modifier, raw);
            case TOKEN -> TokenMatcher.build(modifier, raw, param != null && param.code().equals(TokenValues.ID));
            case REFERENCE -> ReferenceMatcher.build(param, modifier, raw);
            case DATE -> DateMatcher.build(modifier, raw);
            case NUMBER -> NumberMatcher.build(modifier, raw);
            case QUANTITY -> QuantityMatcher.build(modifier, raw);
            case URI -> UriMatcher.build(modifier, raw);
            case SPECIAL -> NearMatcher.build(modifier, raw);
            case COMPOSITE -> throw new IllegalArgumentException("nested composites are not supported");
        };
    }
}
