package dev.fhirbolt.app;

import dev.fhirbolt.rest.FhirRequest;

/** Who is calling, as the authorization layer recorded it on the request. */
final class Callers {

    /** Request attribute holding the OAuth client id of the caller. */
    static final String CLIENT_ID = dev.fhirbolt.authz.SecurityHandler.CLIENT_ID;

    private Callers() {
    }

    /** The caller's client id; all unauthenticated callers (development mode) share one identity. */
    static String clientId(FhirRequest request) {
        return request.attribute(CLIENT_ID, String.class).orElse("anonymous");
    }
}
