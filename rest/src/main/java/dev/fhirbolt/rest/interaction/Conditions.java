package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import java.util.List;

/** Runs the search criteria of a conditional interaction. */
final class Conditions {

    private Conditions() {
    }

    static List<String> match(ResourceMatcher matcher, String type, Params criteria, int limit, String what) {
        Params search = criteria.without(name -> name.equals("_format") || name.equals("_pretty"));
        if (search.isEmpty()) {
            throw FhirException.invalid(what + " needs search criteria, e.g. ?identifier=system|value");
        }
        return matcher.matchIds(type, search, limit);
    }

    /** Reads the If-None-Exist header value ("identifier=a|b" or "Patient?identifier=a|b"). */
    static Params ifNoneExist(String header) {
        String query = header.trim();
        int q = query.indexOf('?');
        return Params.parse(q >= 0 ? query.substring(q + 1) : query);
    }
}
