package dev.fhirbolt.search.query;

/** A matching resource and the keys it sorts by (null where it has no value for a sort parameter). */
public record Hit(String type, String id, byte[][] keys) {
}
