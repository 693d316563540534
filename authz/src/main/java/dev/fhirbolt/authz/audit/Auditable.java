package dev.fhirbolt.authz.audit;

/**
 * Something to audit as the request thread captured it. The audit writer turns it into an {@link AuditRecord}, so
 * routing, formatting and string building happen off the request path.
 */
public interface Auditable {

    AuditRecord toRecord();
}
