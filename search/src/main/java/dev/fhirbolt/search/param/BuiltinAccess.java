package dev.fhirbolt.search.param;

import java.util.Map;

/** Loads the built-in definitions once per process (they are immutable). */
public final class BuiltinAccess {

    private static volatile Map<String, Map<String, ParamDef>> cache;

    private BuiltinAccess() {
    }

    public static Map<String, Map<String, ParamDef>> load() {
        Map<String, Map<String, ParamDef>> c = cache;
        if (c == null) {
            synchronized (BuiltinAccess.class) {
                if (cache == null) {
                    cache = BuiltinParams.load();
                }
                c = cache;
            }
        }
        return c;
    }
}
