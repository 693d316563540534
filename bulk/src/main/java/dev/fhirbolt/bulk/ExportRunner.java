package dev.fhirbolt.bulk;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes one job's NDJSON files: one file a type, each line the stored JSON of a resource as it was at the job's
 * transaction time. Streams resource by resource, so memory does not grow with the data (patient-level exports keep
 * the ids already written per type, to write a resource shared by two patients once).
 */
final class ExportRunner {

    private final ResourceStore store;
    private final ExportSource source;

    ExportRunner(ResourceStore store, ExportSource source) {
        this.store = store;
        this.source = source;
    }

    /** Progress visible to pollers while the job runs. */
    static final class Progress {
        final AtomicLong resources = new AtomicLong();
        volatile String currentType = "";
        final AtomicBoolean cancelled = new AtomicBoolean();

        String describe() {
            return resources.get() + " resources exported" + (currentType.isEmpty() ? "" : ", now " + currentType);
        }
    }

    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    List<ExportJob.Output> run(ExportJob job, Path directory, Progress progress) throws IOException {
        Files.createDirectories(directory);
        List<ExportJob.Output> outputs = new ArrayList<>();
        for (String type : types(job.spec())) {
            progress.currentType = type;
            Path file = directory.resolve(type + ".ndjson");
            long count;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                count = exportType(job, type, out, progress);
            }
            if (count == 0) {
                Files.delete(file);
            } else {
                outputs.add(new ExportJob.Output(type, file.getFileName().toString(), count));
            }
        }
        progress.currentType = "";
        return outputs;
    }

    private long exportType(ExportJob job, String type, OutputStream out, Progress progress) {
        ExportSpec spec = job.spec();
        AtomicLong count = new AtomicLong();
        Consumer<ResourceVersion> write = v -> {
            if (progress.cancelled.get()) {
                throw new Cancelled();
            }
            if (spec.sinceMillis() != null && v.lastUpdated().toEpochMilli() < spec.sinceMillis()) {
                return;
            }
            try {
                out.write(v.json());
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count.incrementAndGet();
            progress.resources.incrementAndGet();
        };
        Set<String> filtered = filteredIds(spec, type);
        if (spec.level() == ExportSpec.Level.SYSTEM) {
            if (filtered == null) {
                store.scanType(type, job.asOfT(), write);
            } else {
                filtered.forEach(id -> store.readAsOf(type, id, job.asOfT()).ifPresent(write));
            }
            return count.get();
        }
        Set<String> written = new HashSet<>();
        for (String patient : patients(job)) {
            Collection<String> ids = type.equals("Patient") ? List.of(patient)
                    : source.compartmentIds(patient, type);
            for (String id : ids) {
                if ((filtered == null || filtered.contains(id)) && written.add(id)) {
                    store.readAsOf(type, id, job.asOfT()).ifPresent(write);
                }
            }
        }
        return count.get();
    }

    /** The ids a _typeFilter allows for the type (union of its queries), or null when there is no filter. */
    private Set<String> filteredIds(ExportSpec spec, String type) {
        List<String> queries = spec.typeFilters().get(type);
        if (queries == null || queries.isEmpty()) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String query : queries) {
            ids.addAll(source.matchingIds(type, query));
        }
        return ids;
    }

    private List<String> types(ExportSpec spec) {
        Set<String> allowed = spec.level() == ExportSpec.Level.SYSTEM ? Fhir.resourceTypes()
                : source.patientCompartmentTypes();
        if (spec.types().isEmpty()) {
            return List.copyOf(allowed);
        }
        return spec.types().stream().filter(allowed::contains).toList();
    }

    private List<String> patients(ExportJob job) {
        ExportSpec spec = job.spec();
        if (!spec.patients().isEmpty() || spec.level() == ExportSpec.Level.GROUP) {
            return spec.patients();
        }
        List<String> ids = new ArrayList<>();
        store.scanType("Patient", job.asOfT(), v -> ids.add(v.id()));
        return ids;
    }
}
