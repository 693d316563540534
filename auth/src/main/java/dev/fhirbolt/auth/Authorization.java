package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a user approved on the consent page (or what a refresh token carries on): the basis of every token
 * issued for one grant.
 *
 * @param sessionId fingerprint of the browser session, for online_access refresh tokens
 */
record Authorization(String grantId, String clientId, String username, String fhirUser, List<String> scopes,
        String patient, String encounter, List<FhirContextItem> fhirContext, boolean needPatientBanner, String nonce,
        String sessionId, Instant authTime) {

    boolean has(String scope) {
        return scopes.contains(scope);
    }

    Authorization withScopes(List<String> narrowed) {
        return new Authorization(grantId, clientId, username, fhirUser, narrowed, patient, encounter, fhirContext,
                needPatientBanner, nonce, sessionId, authTime);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = Json.object();
        m.put("grantId", grantId);
        m.put("clientId", clientId);
        put(m, "username", username);
        put(m, "fhirUser", fhirUser);
        m.put("scopes", scopes);
        put(m, "patient", patient);
        put(m, "encounter", encounter);
        m.put("fhirContext", Json.contextToJson(fhirContext));
        m.put("needPatientBanner", needPatientBanner);
        put(m, "nonce", nonce);
        put(m, "sessionId", sessionId);
        if (authTime != null) {
            m.put("authTime", authTime.toEpochMilli());
        }
        return m;
    }

    static Authorization fromJson(Map<String, Object> m) {
        return new Authorization(Json.str(m, "grantId"), Json.str(m, "clientId"), Json.str(m, "username"),
                Json.str(m, "fhirUser"), Json.strings(m, "scopes"), Json.str(m, "patient"), Json.str(m, "encounter"),
                Json.contextFromJson(Json.objects(m, "fhirContext")), Json.bool(m, "needPatientBanner"),
                Json.str(m, "nonce"), Json.str(m, "sessionId"), Json.instant(m, "authTime"));
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
