package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * {@code /console/data}: upload Synthea bundles or NDJSON with a progress bar (the page's script sends each file and
 * polls the committed count), start {@code $export} and download its files, start {@code $reindex}, and generate
 * demo patients. Everything runs with the signed-in user's access.
 */
final class DataPage {

    private static final Pattern LOAD_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern TYPES = Pattern.compile("([A-Z][A-Za-z]{1,63})(,[A-Z][A-Za-z]{1,63})*");
    private static final int SHOWN_EXPORTS = 10;

    private final Loads loads;
    private final Exports exports;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-demo-data");
        t.setDaemon(true);
        return t;
    });

    DataPage(Loads loads, Exports exports) {
        this.loads = loads;
        this.exports = exports;
    }

    Rendered show(Visit v) {
        List<EditViews.LoadRow> loadRows = loads.of(owner(v)).stream().map(DataPage::row).toList();
        List<EditViews.ExportRow> exportRows = new ArrayList<>();
        for (Exports.Job j : exports.of(owner(v))) {
            if (exportRows.size() == SHOWN_EXPORTS) {
                break;
            }
            exportRows.add(exportRow(v, j));
        }
        List<String> reindex = new ArrayList<>();
        String note = null;
        FhirGateway.Reply r = v.fhir().call("GET", "/$reindex", null, null, Map.of());
        if (r.status() == 200) {
            Outcomes.issues(JsonTexts.parse(r.body())).forEach(i -> reindex.add(i.text()));
        } else {
            note = "Reindex jobs are not shown: " + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status());
        }
        return Rendered.page("data.jte", new EditViews.Data(v.frame("Data", "data"), v.csrf(), loadRows,
                exportRows, reindex, note, Uploads.BATCH));
    }

    static EditViews.LoadRow row(Loads.Load l) {
        return new EditViews.LoadRow(l.id, l.name, l.committed.get(), l.failed.get(), l.running() ? "running"
                : l.message().startsWith("failed") ? "failed" : "done", l.message(), l.started.toString());
    }

    /** {@code GET /console/data/load?id=}: a load's progress for the page's script. */
    Rendered loadStatus(Visit v) {
        Loads.Load l = loads.find(String.valueOf(v.param("id")), owner(v));
        return l == null ? Rendered.json(404, "{\"error\":\"no such load\"}") : Rendered.json(200, l.json());
    }

    /** {@code POST /console/data/upload?id=&name=}: one file, as the page's script sends it. */
    Rendered upload(Visit v, Posted posted) {
        String id = v.param("id");
        String name = v.param("name");
        if (id == null || !LOAD_ID.matcher(id).matches() || name == null || name.isBlank() || name.length() > 200) {
            return Rendered.json(400, "{\"error\":\"the upload needs ?id= (8 to 64 letters, digits or -) and ?name=\"}");
        }
        Loads.Load load;
        try {
            load = loads.start(id, owner(v), name);
        } catch (ConsoleException e) {
            return Rendered.json(e.status(), JsonTexts.of("error", e.getMessage()));
        }
        try {
            if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".ndjson")) {
                Uploads.ndjson(v.fhir(), posted.stream(), load);
            } else {
                Uploads.bundle(v.fhir(), posted.bytes(Uploads.MAX_BUNDLE), load);
            }
            loads.finish(load, load.failed.get() == 0 ? "" : load.failed.get() + " resources were refused");
            return Rendered.json(200, load.json());
        } catch (ConsoleException e) {
            loads.finish(load, "failed: " + e.getMessage());
            return Rendered.json(e.status(), load.json());
        } catch (RuntimeException e) {
            loads.finish(load, "failed: " + e.getMessage());
            throw e;
        }
    }

    /** {@code POST /console/data/demo}: generates demo patients in the background, a load the page follows. */
    Rendered demo(Visit v, Posted posted) {
        var form = posted.form(4096);
        int patients = number(Forms.first(form, "patients"), 1, 500, "patients");
        int seed = number(Forms.first(form, "seed"), 0, 1_000_000, "seed");
        Loads.Load load = loads.start("demo-" + Secure.random(9).replaceAll("[^A-Za-z0-9]", "x"), owner(v),
                "demo data: " + patients + " patients, seed " + seed);
        FhirClient fhir = v.fhir();
        background.submit(() -> {
            try {
                for (int n = 0; n < patients; n++) {
                    Uploads.bundle(fhir, DemoData.patientBundle(seed, n).getBytes(StandardCharsets.UTF_8), load);
                }
                loads.finish(load, "");
            } catch (RuntimeException e) {
                loads.finish(load, "failed: " + e.getMessage());
            }
        });
        return Rendered.redirect("/console/data#loads");
    }

    /** {@code POST /console/data/export}: kicks off {@code $export} at the chosen level. */
    Rendered export(Visit v, Posted posted) {
        var form = posted.form(4096);
        String level = String.valueOf(Forms.first(form, "level"));
        String types = String.valueOf(Forms.first(form, "types")).replace(" ", "");
        String group = String.valueOf(Forms.first(form, "group")).trim();
        String path = switch (level) {
            case "system" -> "/$export";
            case "patient" -> "/Patient/$export";
            case "group" -> {
                if (!ResourcePage.ID.matcher(group).matches()) {
                    throw new ConsoleException(400, "Name the Group to export by its id.");
                }
                yield "/Group/" + group + "/$export";
            }
            default -> throw new ConsoleException(400, "Choose the export's level: system, patient or group.");
        };
        if (!types.isEmpty() && !types.equals("null")) {
            if (!TYPES.matcher(types).matches()) {
                throw new ConsoleException(400, "Types are resource type names separated by commas, e.g."
                        + " Patient,Observation.");
            }
            path += "?_type=" + types;
        }
        FhirGateway.Reply r = v.fhir().call("GET", path, null, null, Map.of("Prefer", "respond-async"));
        if (r.status() != 202 || r.header("Content-Location") == null) {
            throw new ConsoleException(r.status() >= 500 ? 502 : Math.max(400, r.status()), "The export was not"
                    + " started: " + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status()));
        }
        String poll = r.header("Content-Location");
        String pollPath = poll.substring(poll.indexOf("/$export-poll-status"));
        String jobId = Forms.first(Forms.parse(pollPath.substring(pollPath.indexOf('?') + 1)), "_jobId");
        exports.add(jobId, owner(v), level + (group.isEmpty() || !level.equals("group") ? "" : " " + group)
                + (types.isEmpty() || types.equals("null") ? "" : " (" + types + ")"), pollPath);
        return Rendered.redirect("/console/data#exports");
    }

    static EditViews.ExportRow exportRow(Visit v, Exports.Job j) {
        FhirGateway.Reply r = v.fhir().call("GET", j.pollPath(), null, null, Map.of());
        List<EditViews.FileLink> files = new ArrayList<>();
        String state;
        if (r.status() == 202) {
            String progress = r.header("X-Progress");
            state = "running" + (progress == null ? "" : ": " + progress);
        } else if (r.status() == 200) {
            JsonNode manifest = JsonTexts.parse(r.body());
            for (JsonNode o : manifest.path("output")) {
                String url = o.path("url").asText();
                String file = Forms.first(Forms.parse(url.substring(url.indexOf('?') + 1)), "_file");
                if (file != null) {
                    files.add(new EditViews.FileLink(file, "/console/data/export-file?job=" + Forms.encode(j.jobId())
                            + "&file=" + Forms.encode(file), o.path("count").asLong()));
                }
            }
            state = "complete";
        } else {
            state = "failed: " + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status());
        }
        return new EditViews.ExportRow(j.jobId(), j.level(), j.started().toString(), state, files);
    }

    /** {@code GET /console/data/export-file?job=&file=}: one exported file, fetched with the user's token. */
    Rendered exportFile(Visit v) {
        String job = v.param("job");
        String file = v.param("file");
        if (job == null || file == null || !JOB_ID.matcher(job).matches() || !FILE.matcher(file).matches()
                || exports.find(job, owner(v)) == null) {
            throw new ConsoleException(404, "No such export file.");
        }
        FhirGateway.Reply r = v.fhir().call("GET", "/$export-file?_jobId=" + Forms.encode(job) + "&_file="
                + Forms.encode(file), null, null, Map.of());
        if (r.status() != 200) {
            throw new ConsoleException(r.status() >= 500 ? 502 : r.status(), FhirClient.outcomeText(
                    JsonTexts.parse(r.body()), r.status()));
        }
        return Rendered.file("application/fhir+ndjson", file, r.body());
    }

    /** {@code POST /console/data/reindex}: starts {@code $reindex} of every type or of the named ones. */
    Rendered reindex(Visit v, Posted posted) {
        var form = posted.form(4096);
        String types = String.valueOf(Forms.first(form, "types")).replace(" ", "");
        String path = "/$reindex";
        if (!types.isEmpty() && !types.equals("null")) {
            if (!TYPES.matcher(types).matches()) {
                throw new ConsoleException(400, "Types are resource type names separated by commas.");
            }
            path += "?type=" + types;
        }
        FhirGateway.Reply r = v.fhir().call("POST", path, null, new byte[0], Map.of());
        if (r.status() >= 300) {
            throw new ConsoleException(r.status() >= 500 ? 502 : r.status(), "The reindex was not started: "
                    + FhirClient.outcomeText(JsonTexts.parse(r.body()), r.status()));
        }
        return Rendered.redirect("/console/data#reindex");
    }

    private static int number(String text, int min, int max, String what) {
        try {
            int n = Integer.parseInt(String.valueOf(text).trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConsoleException(400, "The number of " + what + " must be between " + min + " and " + max + ".");
    }

    private static String owner(Visit v) {
        return v.session() == null ? "" : v.session().id;
    }
}
