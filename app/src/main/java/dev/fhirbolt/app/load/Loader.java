package dev.fhirbolt.app.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Loads Synthea output and NDJSON into a {@link LoadTarget}. Synthea's order matters: the hospital bundles (batch,
 * ifNoneExist) first, then the practitioner bundles, then the patient transactions whose conditional references point
 * at both. Files of one phase run in parallel, the largest first. NDJSON lines are sent as batches of PUTs (POSTs for
 * lines without id). {@link #cancel()} stops it between bundles.
 */
public final class Loader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final int MAX_LISTED_ERRORS = 50;

    /** How to load. */
    public record Options(int threads, int ndjsonBatchSize, boolean progress) {
    }

    /** One failure: the file, where in it (entry index or line) and why. */
    public record LoadError(String file, String where, String message) {
        @Override
        public String toString() {
            return file + (where.isEmpty() ? "" : " " + where) + ": " + message;
        }
    }

    /**
     * What a load did, file by file: of {@code files}, {@code filesLoaded} were loaded entirely without an error,
     * {@code filesFailed} were read to their end but had errors (a refused transaction, refused entries or lines),
     * {@code filesPartly} were cut short by a cancel (NDJSON: the batches before the cut are in), and
     * {@code unknown} were being sent when the load was aborted: the server may or may not have committed them
     * (each transaction commits entirely or not at all). The rest were not started, or (offline) were abandoned
     * before their transaction committed, {@code filesAbandoned} of them: nothing of those is stored either.
     */
    public record Summary(int files, long filesLoaded, long filesFailed, long filesPartly, List<String> unknown,
            long resources, long errorCount, List<LoadError> errors, Duration elapsed, boolean cancelled,
            int filesAbandoned) {

        public double resourcesPerSecond() {
            return resources / Math.max(1e-3, elapsed.toNanos() / 1e9);
        }

        /** Files read to their end, with or without errors. */
        public long filesDone() {
            return filesLoaded + filesFailed;
        }

        public long filesNotStarted() {
            return Math.max(0, files - filesLoaded - filesFailed - filesPartly - unknown.size());
        }

        /** Whether everything asked for is in: every file loaded, no error, nothing cancelled. */
        public boolean complete() {
            return !cancelled && errorCount == 0 && filesLoaded == files;
        }
    }

    /** How one file ended. */
    private enum FileOutcome {
        LOADED,
        FAILED,
        PARTLY,
        UNKNOWN
    }

    private final LoadTarget target;
    private final Options options;
    private final PrintStream err;
    private final List<LoadError> errors = Collections.synchronizedList(new ArrayList<>());
    private final Map<Path, FileOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean cancelled;
    private volatile boolean aborted;
    /** Files whose transaction was abandoned before it committed (offline), so nothing of them is stored. */
    private final java.util.concurrent.atomic.AtomicInteger abandoned = new java.util.concurrent.atomic.AtomicInteger();

    public Loader(LoadTarget target, Options options, PrintStream err) {
        this.target = target;
        this.options = options;
        this.err = err;
    }

    /**
     * Expands directories (*.json and *.ndjson, not recursive into hidden dirs) and orders the files: by phase, and
     * within a phase the largest first, so that the last bundles to finish are small ones. Alphabetically, a big
     * patient bundle could start last and leave one thread working alone at the end (the 100-patient Synthea set's
     * largest file, a tenth of the data, was its 88th of 102).
     */
    public static List<Path> collect(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(Loader::isLoadable).forEach(files::add);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new IOException("no such file or directory: " + input);
            }
        }
        Map<Path, Long> sizes = new HashMap<>();
        for (Path f : files) {
            sizes.put(f, Files.size(f));
        }
        files.sort(Comparator.comparingInt(Loader::phase)
                .thenComparing(sizes::get, Comparator.reverseOrder())
                .thenComparing(p -> p.getFileName().toString()));
        return files;
    }

    private static boolean isLoadable(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".json") || name.endsWith(".ndjson")) && !name.startsWith(".");
    }

    /** 0 hospitals, 1 practitioners, 2 everything else. */
    static int phase(Path p) {
        String name = p.getFileName().toString();
        if (name.startsWith("hospitalInformation")) {
            return 0;
        }
        if (name.startsWith("practitionerInformation")) {
            return 1;
        }
        return 2;
    }

    /**
     * Stops the load: no further file or NDJSON batch is started, the bundles in flight finish (each commits
     * entirely or not at all) and {@link #load} returns a summary marked cancelled.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Stops the load now: as {@link #cancel()}, and the sends in flight are abandoned ({@link LoadTarget#abort()}).
     * Their files are reported as of unknown fate, never as loaded.
     */
    public void abort() {
        cancelled = true;
        aborted = true;
        target.abort();
    }

    public Summary load(List<Path> files) throws IOException, InterruptedException {
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
            Thread t = new Thread(r, "fhirbolt-load");
            t.setDaemon(true);
            return t;
        });
        try (Progress progress = new Progress(files.size(), bytes, err, options.progress())) {
            for (int phase = 0; phase <= 2; phase++) {
                List<Future<?>> running = new ArrayList<>();
                Semaphore inFlight = new Semaphore(Math.max(2, options.threads() * 2));
                for (Path file : files) {
                    if (cancelled) {
                        break;
                    }
                    if (phase(file) != phase) {
                        continue;
                    }
                    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ndjson")) {
                        ndjson(file, pool, running, inFlight, progress);
                    } else {
                        inFlight.acquire();
                        running.add(pool.submit(() -> {
                            try {
                                bundleFile(file, progress);
                            } finally {
                                inFlight.release();
                            }
                        }));
                    }
                }
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        errors.add(new LoadError("?", "", String.valueOf(e.getCause())));
                    }
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            List<LoadError> listed;
            synchronized (errors) {
                listed = List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)));
            }
            List<String> unknown = files.stream().filter(f -> outcomes.get(f) == FileOutcome.UNKNOWN)
                    .map(Path::toString).toList();
            return new Summary(files.size(), count(FileOutcome.LOADED), count(FileOutcome.FAILED),
                    count(FileOutcome.PARTLY), unknown, progress.resources.get(), progressErrors(progress), listed,
                    elapsed, cancelled, abandoned.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private long count(FileOutcome outcome) {
        return outcomes.values().stream().filter(o -> o == outcome).count();
    }

    private long progressErrors(Progress progress) {
        return Math.max(progress.errors.get(), errors.size());
    }

    private void bundleFile(Path file, Progress progress) {
        String name = file.getFileName().toString();
        if (cancelled) {
            return;
        }
        try {
            byte[] body = Files.readAllBytes(file);
            long size = body.length;
            // the bar moves as the bundle is sent, by its size at most (a retried send is not counted twice)
            java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
            java.util.function.LongConsumer sent = n -> {
                long add = Math.max(0, Math.min(n, size - counted.get()));
                counted.addAndGet(add);
                progress.bytesSent.addAndGet(add);
            };
            progress.sending.incrementAndGet();
            LoadTarget.Response response;
            try {
                response = target.postBundle(body, sent);
            } finally {
                progress.sending.decrementAndGet();
            }
            sent.accept(size);
            long bad = response.status() == 413 ? split(name, body, progress) : -1;
            if (bad < 0) {
                bad = record(name, response, null, 0, progress);
            }
            body = null;
            outcomes.put(file, bad == 0 ? FileOutcome.LOADED : FileOutcome.FAILED);
            progress.filesDone.incrementAndGet();
        } catch (Exception e) {
            if (e instanceof LoadTarget.Abandoned) {
                abandoned.incrementAndGet(); // nothing of it is stored: as if it had not started
            } else if (e instanceof PartsCommitted) {
                outcomes.put(file, FileOutcome.PARTLY);
            } else if (aborted) {
                outcomes.put(file, FileOutcome.UNKNOWN);
            } else {
                error(progress, new LoadError(name, "", "could not be sent: " + e));
                outcomes.put(file, FileOutcome.FAILED);
                progress.filesDone.incrementAndGet();
            }
        }
    }

    /** Entries and bytes of each part when a transaction the server refused as too large is split. */
    static final int SPLIT_ENTRIES = 1000;
    static final long SPLIT_BYTES = 4L * 1024 * 1024;

    /**
     * Loads a transaction the server refused as too large (413) as several smaller ones ({@link TransactionSplitter});
     * answers how many of them failed, or -1 when it cannot be split and the refusal stands.
     */
    private long split(String name, byte[] body, Progress progress) throws Exception {
        int[] failed = {0};
        var parts = new TransactionSplitter(SPLIT_ENTRIES, SPLIT_BYTES).split(body, (part, first, entries) -> {
            if (cancelled) {
                throw new InterruptedException("cancelled");
            }
            LoadTarget.Response response;
            try {
                response = target.postBundle(part);
            } catch (LoadTarget.Abandoned e) {
                if (first == 0) {
                    throw e;
                }
                throw new PartsCommitted(first);
            }
            failed[0] += record(name, response, null, first, progress) > 0 ? 1 : 0;
        });
        parts.ifPresent(n -> err.printf(Locale.ROOT, "%s: too large for one transaction on this server; sent as %d"
                + " transactions of up to %d entries%s%n", name, n, SPLIT_ENTRIES,
                failed[0] == 0 ? "" : ", " + failed[0] + " of them failed (the others are stored)"));
        return parts.isPresent() ? failed[0] : -1;
    }

    /** A split transaction abandoned after its first parts committed: the file is cut short. */
    private static final class PartsCommitted extends Exception {
        PartsCommitted(int entries) {
            super("abandoned after its first " + entries + " entries were committed");
        }
    }

    private void ndjson(Path file, ExecutorService pool, List<Future<?>> running, Semaphore inFlight,
            Progress progress) throws IOException, InterruptedException {
        String name = file.getFileName().toString();
        List<Future<?>> mine = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean bad = new java.util.concurrent.atomic.AtomicBoolean();
        boolean whole = true;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> lines = new ArrayList<>();
            List<Integer> lineNumbers = new ArrayList<>();
            int lineNo = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (cancelled) {
                    whole = false;
                    break;
                }
                lineNo++;
                if (line.isBlank()) {
                    progress.bytesDone.addAndGet(line.length() + 1);
                    continue;
                }
                lines.add(line);
                lineNumbers.add(lineNo);
                if (lines.size() >= options.ndjsonBatchSize()) {
                    mine.add(submitChunk(file, bad, lines, lineNumbers, pool, inFlight, progress));
                    lines = new ArrayList<>();
                    lineNumbers = new ArrayList<>();
                }
            }
            if (!lines.isEmpty() && whole) {
                mine.add(submitChunk(file, bad, lines, lineNumbers, pool, inFlight, progress));
            }
        }
        running.addAll(mine);
        if (!whole) {
            outcomes.put(file, FileOutcome.PARTLY);
            return;
        }
        running.add(pool.submit(() -> {
            for (Future<?> f : mine) {
                try {
                    f.get();
                } catch (Exception e) {
                    // reported by the chunk itself
                }
            }
            outcomes.merge(file, bad.get() ? FileOutcome.FAILED : FileOutcome.LOADED, (old, now) -> old);
            progress.filesDone.incrementAndGet();
        }));
    }

    private Future<?> submitChunk(Path file, java.util.concurrent.atomic.AtomicBoolean bad, List<String> lines,
            List<Integer> lineNumbers, ExecutorService pool, Semaphore inFlight, Progress progress)
            throws InterruptedException {
        String name = file.getFileName().toString();
        inFlight.acquire();
        return pool.submit(() -> {
            long size = 0;
            if (cancelled) {
                outcomes.put(file, FileOutcome.PARTLY);
                inFlight.release();
                return;
            }
            try {
                List<String> good = new ArrayList<>();
                List<Integer> goodLines = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    size += lines.get(i).length() + 1;
                    if (typeAndId(lines.get(i)) == null) {
                        bad.set(true);
                        error(progress, new LoadError(name, "line " + lineNumbers.get(i),
                                "is not a JSON resource with a resourceType"));
                    } else {
                        good.add(lines.get(i));
                        goodLines.add(lineNumbers.get(i));
                    }
                }
                if (good.isEmpty()) {
                    return;
                }
                LoadTarget.Response response = target.postBundle(batchOf(good));
                if ((response.status() == 400 || response.status() == 422) && good.size() > 1) {
                    // one bad resource fails the whole Bundle's parse: send the lines one by one to find it
                    for (int i = 0; i < good.size(); i++) {
                        if (record(name, target.postBundle(batchOf(List.of(good.get(i)))),
                                List.of(goodLines.get(i)), 0, progress) > 0) {
                            bad.set(true);
                        }
                    }
                } else if (record(name, response, goodLines, 0, progress) > 0) {
                    bad.set(true);
                }
            } catch (Exception e) {
                if (aborted) {
                    outcomes.put(file, FileOutcome.PARTLY);
                } else {
                    bad.set(true);
                    error(progress, new LoadError(name, "lines " + lineNumbers.get(0) + "-"
                            + lineNumbers.get(lineNumbers.size() - 1), "could not be sent: " + e));
                }
            } finally {
                progress.bytesDone.addAndGet(size);
                inFlight.release();
            }
        });
    }

    /** A batch Bundle of the lines: PUT Type/id keeps the ids (references between files stay valid). */
    private static byte[] batchOf(List<String> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 1024);
        out.write("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] typeAndId = typeAndId(line);
            String request = typeAndId[1] == null
                    ? "{\"method\":\"POST\",\"url\":\"" + typeAndId[0] + "\"}"
                    : "{\"method\":\"PUT\",\"url\":\"" + typeAndId[0] + "/" + typeAndId[1] + "\"}";
            if (i > 0) {
                out.write(',');
            }
            out.write("{\"resource\":".getBytes(StandardCharsets.UTF_8));
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write((",\"request\":" + request + "}").getBytes(StandardCharsets.UTF_8));
        }
        out.write("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** resourceType and id (null when absent) from the top level of a JSON object, without building a tree. */
    static String[] typeAndId(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            String id = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("resourceType") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (field.equals("id") && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else {
                    p.skipChildren();
                }
                if (type != null && id != null) {
                    break;
                }
            }
            return type == null ? null : new String[] {type, id};
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads a batch-/transaction-response or an OperationOutcome; counts loaded resources and errors. */
    private long record(String file, LoadTarget.Response response, List<Integer> lines, int firstEntry,
            Progress progress) throws IOException {
        JsonNode root = response.body() == null || response.body().length == 0 ? null
                : MAPPER.readTree(response.body());
        if (response.status() != 200 || root == null || !"Bundle".equals(root.path("resourceType").asText())) {
            String where = lines == null ? (firstEntry == 0 ? "" : "entries from " + firstEntry) : lines.size() == 1 ? "line " + lines.get(0)
                    : "lines " + lines.get(0) + "-" + lines.get(lines.size() - 1);
            error(progress, new LoadError(file, where, "HTTP " + response.status() + ": " + Diagnostics.of(root)));
            return 1;
        }
        JsonNode entries = root.path("entry");
        long ok = 0;
        long failed = 0;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode r = entries.get(i).path("response");
            String status = r.path("status").asText("");
            if (status.startsWith("2")) {
                ok++;
            } else {
                String where = lines == null ? "entry " + (firstEntry + i) : "line " + (i < lines.size() ? lines.get(i) : "?");
                error(progress, new LoadError(file, where, status + ": " + Diagnostics.of(r.path("outcome"))));
                failed++;
            }
        }
        progress.resources.addAndGet(ok);
        return failed;
    }

    private void error(Progress progress, LoadError e) {
        progress.errors.incrementAndGet();
        if (errors.size() < 10_000) {
            errors.add(e);
        }
    }

    /** The closing report: what is in, what is not, and what cannot be known. */
    public static void printSummary(Summary s, PrintStream out) {
        if (s.cancelled()) {
            out.printf(Locale.ROOT, "interrupted: %d of %s loaded%s%n", s.filesLoaded(), Progress.files(s.files()),
                    s.filesAbandoned() > 0 ? ", " + Progress.files(s.filesAbandoned()) + " in flight abandoned before"
                            + " committing (nothing of them is stored; counted as not started)"
                    : s.unknown().isEmpty() ? ", the bundles in flight finished" : "");
        }
        out.printf(Locale.ROOT, "loaded %,d resources from %s in %s (%,.0f resources/s)%n", s.resources(),
                Progress.files(s.filesDone()), Progress.duration(Math.max(0, s.elapsed().toSeconds())) + "."
                        + String.format(Locale.ROOT, "%03d", s.elapsed().toMillisPart()), s.resourcesPerSecond());
        out.printf(Locale.ROOT, "files: %d loaded, %d with errors, %d cut short, %d unknown, %d not started%n",
                s.filesLoaded(), s.filesFailed(), s.filesPartly(), s.unknown().size(), s.filesNotStarted());
        if (!s.unknown().isEmpty()) {
            out.println("sent but not answered when the load was stopped (the server may have committed each of"
                    + " them entirely, or not at all; check before loading them again):");
            s.unknown().forEach(f -> out.println("  " + f));
        }
        if (s.errorCount() > 0) {
            out.printf(Locale.ROOT, "%,d errors%s:%n", s.errorCount(),
                    s.errorCount() > s.errors().size() ? " (first " + s.errors().size() + " shown)" : "");
            s.errors().forEach(e -> out.println("  " + e));
        }
    }
}
