package dev.fhirbolt.console;

import java.util.List;
import java.util.Map;

/**
 * One browser request to a console page: the path below {@code /console}, its query, the FHIR client acting for the
 * signed-in user, and the frame the page is drawn in.
 */
record Visit(String path, String rawQuery, List<Map.Entry<String, String>> query, FhirClient fhir, Session session,
        boolean secured) {

    Views.Frame frame(String title, String active) {
        Session.User u = session == null ? null : session.user();
        return new Views.Frame(title, active, u == null ? null : u.name(), secured);
    }

    String param(String name) {
        return Forms.first(query, name);
    }

    /** The session's token that the console's forms send back (CSRF), empty without a session. */
    String csrf() {
        return session == null ? "" : session.csrf;
    }

    /** The scope the user's token carries, or null with security off. */
    String scope() {
        Session.User u = session == null ? null : session.user();
        return u == null ? null : u.scope();
    }
}
