package dev.fhirbolt.authz.audit;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.rest.Writes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: {@link #record} only puts the record on a bounded queue (it never blocks a request); one
 * background thread turns queued records into AuditEvent resources and commits them in batches through the
 * {@link ResourceStore} with their search index entries (so {@code AuditEvent?...} works), and optionally appends
 * each as a line of JSON to a log file. When the queue is full (the store cannot keep up) records are dropped and
 * counted, with a warning in the log.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final int QUEUE = 50_000;
    private static final int BATCH = 500;
    static final String EVENT_SYSTEM = "https://fhirbolt.dev/CodeSystem/audit-event";

    private final ResourceStore store;
    private final Writes writes;
    private final String observer;
    private final OutputStream log;
    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final Thread worker;
    private volatile boolean closing;

    public AuditTrail(ResourceStore store, Writes writes, String observer, Path logFile) throws IOException {
        this.store = store;
        this.writes = writes;
        this.observer = observer;
        if (logFile != null) {
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            this.log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } else {
            this.log = null;
        }
        this.worker = Thread.ofPlatform().name("fhirbolt-audit").daemon(true).start(this::run);
    }

    /** Queues a record; never blocks. */
    public void record(AuditRecord r) {
        if (closing) {
            return;
        }
        if (queue.offer(r)) {
            submitted.incrementAndGet();
        } else if (dropped.incrementAndGet() % 1000 == 1) {
            LOG.warn("audit queue full: {} audit records dropped so far", dropped.get());
        }
    }

    /** Waits until everything queued so far is stored (tests, shutdown). */
    public boolean flush(long timeoutMillis) throws InterruptedException {
        long target = submitted.get();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (done.get() < target) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                AuditRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("could not store {} audit events", batch.size(), e);
            } finally {
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
    }

    private void store(List<AuditRecord> batch) {
        List<Write> list = new ArrayList<>(batch.size());
        for (AuditRecord r : batch) {
            AuditEvent event = toResource(r);
            String id = IdGenerator.next();
            event.setId(id);
            list.add(writes.write(WriteMethod.CREATE, "AuditEvent", id, event, Expectation.ABSENT));
            if (log != null) {
                try {
                    log.write(ResourceWriter.render(event, RenderOptions.COMPACT_JSON));
                    log.write('\n');
                } catch (IOException e) {
                    LOG.warn("could not append to the audit log file: {}", e.getMessage());
                }
            }
        }
        store.commit(new Commit(list));
        if (log != null) {
            try {
                log.flush();
            } catch (IOException e) {
                LOG.warn("could not flush the audit log file: {}", e.getMessage());
            }
        }
    }

    AuditEvent toResource(AuditRecord r) {
        AuditEvent e = new AuditEvent();
        boolean rest = "rest".equals(r.category());
        e.setType(rest ? new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest",
                "Restful Operation") : new Coding(EVENT_SYSTEM, "authorization", "Authorization event"));
        e.addSubtype(rest ? new Coding("http://hl7.org/fhir/restful-interaction", r.subtype(), null)
                : new Coding(EVENT_SYSTEM, r.subtype(), null));
        e.setAction(switch (r.action()) {
            case "C" -> AuditEvent.AuditEventAction.C;
            case "R" -> AuditEvent.AuditEventAction.R;
            case "U" -> AuditEvent.AuditEventAction.U;
            case "D" -> AuditEvent.AuditEventAction.D;
            default -> AuditEvent.AuditEventAction.E;
        });
        e.setRecorded(Date.from(r.at()));
        e.setOutcome(r.success() ? AuditEvent.AuditEventOutcome._0 : r.outcomeText() != null
                && r.outcomeText().startsWith("5") ? AuditEvent.AuditEventOutcome._8 : AuditEvent.AuditEventOutcome._4);
        if (r.outcomeText() != null) {
            e.setOutcomeDesc(r.outcomeText());
        }
        AuditEvent.AuditEventAgentComponent who = e.addAgent();
        who.setRequestor(true);
        who.getType().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP",
                "information recipient"));
        if (r.fhirUser() != null) {
            who.setWho(new Reference(r.fhirUser()).setDisplay(r.user()));
        } else {
            who.setWho(new Reference().setIdentifier(new Identifier().setSystem(EVENT_SYSTEM + "/user")
                    .setValue(r.user() == null ? "anonymous" : r.user())));
        }
        who.setAltId(r.user() == null ? "anonymous" : r.user());
        who.setName(r.user() == null ? "anonymous" : r.user());
        if (r.remoteAddress() != null) {
            who.getNetwork().setAddress(r.remoteAddress()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        if (r.clientId() != null) {
            AuditEvent.AuditEventAgentComponent app = e.addAgent();
            app.setRequestor(false);
            app.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150",
                    "Application"));
            app.setWho(new Reference().setIdentifier(new Identifier().setSystem(EVENT_SYSTEM + "/client")
                    .setValue(r.clientId())).setDisplay(r.clientId()));
            app.setAltId(r.clientId());
            app.setName(r.clientId());
        }
        e.getSource().setSite(observer).setObserver(new Reference().setDisplay("Fhirbolt"))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                        "Application Server"));
        AuditEvent.AuditEventEntityComponent what = e.addEntity();
        if (r.resource() != null) {
            what.setWhat(new Reference(r.resource()));
        }
        if (r.request() != null) {
            what.setDescription(r.request());
            int q = r.request().indexOf('?');
            if (q > 0) {
                what.setQuery(Base64.getEncoder().encode(r.request().substring(q + 1)
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (r.patient() != null && !("Patient/" + r.patient()).equals(r.resource())) {
            e.addEntity().setWhat(new Reference("Patient/" + r.patient()))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        return e;
    }

    /** Records queued but not yet stored. */
    public long pending() {
        return submitted.get() - done.get();
    }

    /** Stores what is queued (waiting up to 30 seconds), then stops; call before the store closes. */
    @Override
    public void close() {
        closing = true;
        try {
            if (!flush(30_000)) {
                LOG.warn("audit trail closed with {} records not stored", pending());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            worker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("could not close the audit log file", e);
            }
        }
    }
}
