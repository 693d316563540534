package dev.fhirbolt.rest.bundle;

/**
 * How big a batch or transaction may be. The byte limit is checked before parsing (413); the entry count is checked
 * by a streaming pre-scan of JSON bodies before the Bundle is parsed (413 too), so an oversized Bundle is refused
 * without building its model.
 */
public record BundleLimits(int maxEntries, long maxBytes) {

    public static final BundleLimits DEFAULT = new BundleLimits(50_000, 128L * 1024 * 1024);

    public BundleLimits {
        if (maxEntries <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("bundle limits must be positive");
        }
    }
}
