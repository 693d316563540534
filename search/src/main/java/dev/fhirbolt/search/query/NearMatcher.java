package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.util.List;

/** Location?near=latitude|longitude|distance|units: great-circle distance, km by default. */
final class NearMatcher {

    private static final double EARTH_KM = 6371.0088;

    private NearMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        if (modifier != null) {
            throw new UnsupportedModifier(modifier);
        }
        List<String> parts = Escapes.split(raw, '|');
        if (parts.size() < 2) {
            throw new IllegalArgumentException("near needs latitude|longitude[|distance|units]");
        }
        double lat = NumberMatcher.parse(parts.get(0)).doubleValue();
        double lon = NumberMatcher.parse(parts.get(1)).doubleValue();
        if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
            throw new IllegalArgumentException("near needs a latitude from -90 to 90 and a longitude from -180 to 180");
        }
        Prefix.Prefixed d = Prefix.parse(parts.size() > 2 && !parts.get(2).isEmpty() ? parts.get(2) : "1");
        double distance = NumberMatcher.parse(d.value()).doubleValue() * kmPer(parts.size() > 3 ? parts.get(3) : "km");
        return new Alternative(List.of(Alternative.VRange.prefix(new byte[] {Encoded.POSITION})), v -> v.length == 17
                && v[0] == Encoded.POSITION && km(lat, lon, Encoded.fromSortableDouble(Encoded.getLong(v, 1)),
                        Encoded.fromSortableDouble(Encoded.getLong(v, 9))) <= distance);
    }

    private static double kmPer(String units) {
        return switch (units) {
            case "km", "" -> 1;
            case "m" -> 0.001;
            case "[mi_i]", "mi" -> 1.609344;
            default -> throw new IllegalArgumentException("unknown distance unit " + units);
        };
    }

    static double km(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_KM * Math.asin(Math.sqrt(a));
    }
}
