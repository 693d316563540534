package dev.fhirbolt.search.index;

import dev.fhirbolt.search.param.ParamType;
import java.util.EnumMap;
import java.util.Map;

/** The encoder of each parameter type (composites are handled by {@link CompositeValues}). */
public final class Encoders {

    private static final Map<ParamType, ValueEncoder> BY_TYPE = new EnumMap<>(Map.of(
            ParamType.STRING, new StringValues(),
            ParamType.TOKEN, new TokenValues(),
            ParamType.REFERENCE, new ReferenceValues(),
            ParamType.DATE, new DateValues(),
            ParamType.NUMBER, new NumberValues(),
            ParamType.QUANTITY, new QuantityValues(),
            ParamType.URI, new UriValues(),
            ParamType.SPECIAL, new NearValues()));

    private Encoders() {
    }

    public static ValueEncoder of(ParamType type) {
        return BY_TYPE.getOrDefault(type, (element, out) -> { });
    }
}
