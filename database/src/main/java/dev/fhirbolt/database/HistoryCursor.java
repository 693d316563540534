package dev.fhirbolt.database;

/** Where a history page ended: the position of its last entry (t, then type/id or version). */
public record HistoryCursor(long t, String type, String id, long version) {

    /** A compact token for page links. */
    public String encode() {
        return t + "." + version + "." + type + "." + id;
    }

    public static HistoryCursor decode(String token) {
        String[] parts = token.split("\\.", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad history cursor");
        }
        return new HistoryCursor(Long.parseLong(parts[0]), parts[2], parts[3], Long.parseLong(parts[1]));
    }
}
