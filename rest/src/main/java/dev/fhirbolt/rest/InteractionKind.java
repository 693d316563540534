package dev.fhirbolt.rest;

/** Every kind of FHIR REST interaction the router can recognise. */
public enum InteractionKind {
    READ,
    VREAD,
    UPDATE,
    CONDITIONAL_UPDATE,
    PATCH,
    CONDITIONAL_PATCH,
    DELETE,
    CONDITIONAL_DELETE,
    CREATE,
    HISTORY_INSTANCE,
    HISTORY_TYPE,
    HISTORY_SYSTEM,
    SEARCH_TYPE,
    SEARCH_SYSTEM,
    SEARCH_COMPARTMENT,
    CAPABILITIES,
    BATCH,
    OPERATION
}
