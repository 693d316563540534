package dev.fhirbolt.auth;

/**
 * An encounter offered by the encounter picker.
 *
 * @param id          the Encounter's logical id
 * @param description what to show, e.g. "2024-03-02 Ambulatory visit"
 */
public record EncounterChoice(String id, String description) {
}
