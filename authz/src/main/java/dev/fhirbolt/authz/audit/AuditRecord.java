package dev.fhirbolt.authz.audit;

import java.time.Instant;

/**
 * One thing to audit, as plain data (turned into an AuditEvent resource by the audit writer).
 *
 * @param at            when it happened
 * @param category      {@code rest} for FHIR interactions, {@code auth} for authorization events
 * @param subtype       the interaction (restful-interaction code: read, search-type, create...) or the auth event
 *                      (login, consent, token-issued, token-refreshed, token-revoked, failure, access-denied)
 * @param action        C, R, U, D or E
 * @param success       whether it succeeded
 * @param outcomeText   status line and reason (e.g. {@code 403 read of Observation needs ...})
 * @param user          the user name, or the client id for backend services, or null
 * @param fhirUser      the user's FHIR resource ({@code Practitioner/1}), or null
 * @param clientId      the OAuth client, or null
 * @param patient       the patient context of the token, or null
 * @param remoteAddress the caller's address, or null
 * @param request       what was asked: method and path with query, or the auth event's detail
 * @param resource      the resource acted upon ({@code Observation/1}), or null
 */
public record AuditRecord(Instant at, String category, String subtype, String action, boolean success,
        String outcomeText, String user, String fhirUser, String clientId, String patient, String remoteAddress,
        String request, String resource) implements Auditable {

    @Override
    public AuditRecord toRecord() {
        return this;
    }
}
