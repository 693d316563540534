package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads one uploaded file with the user's access: a FHIR Bundle (a Synthea patient, hospital or practitioner file)
 * is posted as it is; NDJSON (one resource a line, as {@code $export} writes it) is read as it arrives and sent in
 * batch Bundles of {@link #BATCH} resources, so the committed count grows while the upload is still running.
 */
final class Uploads {

    static final int BATCH = 200;
    static final int MAX_BUNDLE = 256 * 1024 * 1024;

    private Uploads() {
    }

    static void bundle(FhirClient fhir, byte[] body, Loads.Load load) {
        JsonNode bundle = JsonTexts.parse(body);
        if (!"Bundle".equals(bundle.path("resourceType").asText())) {
            throw new ConsoleException(400, "This is not a JSON Bundle; upload Synthea's bundles or NDJSON files"
                    + " (.ndjson).");
        }
        String type = bundle.path("type").asText();
        if (!type.equals("transaction") && !type.equals("batch")) {
            throw new ConsoleException(400, "The Bundle's type is " + type + "; only transaction and batch Bundles"
                    + " can be loaded.");
        }
        FhirGateway.Reply r = fhir.call("POST", "/", "application/fhir+json", body, Map.of());
        if (r.status() >= 300) {
            load.failed.addAndGet(bundle.path("entry").size());
            throw new ConsoleException(r.status() >= 500 ? 502 : r.status(), "The " + type + " was refused: "
                    + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status()));
        }
        count(JsonTexts.parse(r.body()), load);
        load.bytes.addAndGet(body.length);
    }

    static void ndjson(FhirClient fhir, InputStream in, Loads.Load load) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> batch = new ArrayList<>(BATCH);
            String line;
            long number = 0;
            long pending = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                pending += bytes.length + 1;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode r = JsonTexts.parse(bytes);
                if (!r.isObject() || !r.path("resourceType").isTextual()) {
                    throw new ConsoleException(400, "Line " + number + " is not a FHIR resource in JSON.");
                }
                batch.add(entry(r, line));
                if (batch.size() == BATCH) {
                    send(fhir, batch, load);
                    batch.clear();
                    load.bytes.addAndGet(pending);
                    pending = 0;
                }
            }
            if (!batch.isEmpty()) {
                send(fhir, batch, load);
            }
            load.bytes.addAndGet(pending);
        } catch (IOException e) {
            throw new ConsoleException(400, "The upload was cut short: " + e.getMessage());
        }
    }

    /** A batch entry: an update of the resource's own id, so that references between files hold. */
    private static String entry(JsonNode r, String line) {
        String type = r.path("resourceType").asText();
        String id = r.path("id").asText("");
        String request = id.isEmpty() ? JsonTexts.of("method", "POST", "url", type)
                : JsonTexts.of("method", "PUT", "url", type + "/" + id);
        return "{\"resource\":" + line + ",\"request\":" + request + "}";
    }

    private static void send(FhirClient fhir, List<String> entries, Loads.Load load) {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + String.join(",", entries)
                + "]}";
        FhirGateway.Reply r = fhir.call("POST", "/", "application/fhir+json",
                bundle.getBytes(StandardCharsets.UTF_8), Map.of());
        if (r.status() >= 300) {
            load.failed.addAndGet(entries.size());
            throw new ConsoleException(r.status() >= 500 ? 502 : r.status(), "A batch was refused: "
                    + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status()));
        }
        count(JsonTexts.parse(r.body()), load);
    }

    private static void count(JsonNode response, Loads.Load load) {
        for (JsonNode e : response.path("entry")) {
            if (e.path("response").path("status").asText().startsWith("2")) {
                load.committed.incrementAndGet();
            } else {
                load.failed.incrementAndGet();
            }
        }
    }
}
