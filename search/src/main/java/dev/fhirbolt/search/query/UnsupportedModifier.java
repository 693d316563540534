package dev.fhirbolt.search.query;

/** A modifier the parameter's type does not support here. */
final class UnsupportedModifier extends RuntimeException {
    UnsupportedModifier(String modifier) {
        super("unsupported modifier :" + modifier, null, false, false);
    }
}
