package dev.fhirbolt.rest.http;

/**
 * Told about every answered FHIR request, so that metrics can be kept without the REST layer naming a metrics
 * library. The labels have few values: an interaction name, a FHIR resource type (or {@code system}, or
 * {@code unknown} when the path was not understood) and the HTTP status.
 */
public interface RequestObserver {

    RequestObserver NONE = (interaction, type, status, nanos) -> { };

    void requestCompleted(String interaction, String type, int status, long nanos);
}
