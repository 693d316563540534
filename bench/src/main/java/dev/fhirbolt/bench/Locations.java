package dev.fhirbolt.bench;

/** Reads the {@code Location} header of a create: {@code [base]/Type/id/_history/v}. */
public final class Locations {

    private Locations() {
    }

    /** {@code Type/id} from a Location header, or null when it has no such shape. */
    public static String reference(String location) {
        if (location == null) {
            return null;
        }
        String path = location;
        int history = path.indexOf("/_history/");
        if (history >= 0) {
            path = path.substring(0, history);
        }
        int idSlash = path.lastIndexOf('/');
        if (idSlash <= 0) {
            return null;
        }
        int typeSlash = path.lastIndexOf('/', idSlash - 1);
        String ref = path.substring(typeSlash + 1);
        String type = ref.substring(0, ref.indexOf('/'));
        return !type.isEmpty() && Character.isUpperCase(type.charAt(0)) && ref.length() > type.length() + 1
                ? ref : null;
    }
}
