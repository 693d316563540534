package dev.fhirbolt.search;

/** A search parameter as the CapabilityStatement lists it (rest.resource.searchParam). */
public record SupportedParam(String name, String type, String definition, String documentation) {
}
