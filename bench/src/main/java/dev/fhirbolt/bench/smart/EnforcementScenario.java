package dev.fhirbolt.bench.smart;

import dev.fhirbolt.bench.BenchClient;
import dev.fhirbolt.bench.Call;
import dev.fhirbolt.bench.Locations;
import dev.fhirbolt.bench.ResourceFactory;
import dev.fhirbolt.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code enforce-*}: what SMART scope enforcement costs. The same reads (GET Observation/{id} of one patient's
 * Observations) and the same search ({@code Observation?subject=Patient/{id}}) are sent with an unrestricted
 * {@code system/*.rs} token and with a {@code patient/*.rs} token whose launch patient is that patient, so the answers
 * are the same and the difference is the enforcement: compartment checks and compartment-restricted searches.
 * Needs a server with SMART security (the benchmark starts one so when these scenarios are chosen).
 */
public final class EnforcementScenario implements Scenario {

    /** Patients created, and Observations of each: the other patients' data must not change the answers. */
    static final int PATIENTS = 50;
    static final int OBSERVATIONS_EACH = 20;
    /**
     * Creates in flight while preparing: the server builds a FHIRPath engine for each thread that indexes at once,
     * which is slow on a busy machine; few at a time reuse the same ones.
     */
    static final int PREPARE_CONCURRENCY = 2;
    /**
     * How long all variants are sent, in turn, before the first is measured (besides each step's own warm-up): long
     * enough for the JIT and for the storage to settle after the creates.
     */
    static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(15);

    /** The four variants: read or search, unrestricted or patient-scoped. */
    public static List<String> names() {
        return List.of("enforce-read", "enforce-read-patient", "enforce-search", "enforce-search-patient");
    }

    private final String name;
    private final long seed;
    private final String adminPassword;
    private Call[] calls;

    public EnforcementScenario(String name, long seed, String adminPassword) {
        if (!names().contains(name)) {
            throw new IllegalArgumentException("no enforcement scenario " + name);
        }
        this.name = name;
        this.seed = seed;
        this.adminPassword = adminPassword;
    }

    @Override
    public String name() {
        return name;
    }

    private boolean patientScoped() {
        return name.endsWith("-patient");
    }

    private boolean read() {
        return name.startsWith("enforce-read");
    }

    @Override
    public String description() {
        return (read() ? "GET Observation/{id} over one patient's " + OBSERVATIONS_EACH + " Observations"
                : "GET Observation?subject=Patient/{id} (" + OBSERVATIONS_EACH + " matches)")
                + (patientScoped() ? " with a patient/*.rs token of that patient" : " with a system/*.rs token")
                + "; " + PATIENTS + " patients of " + OBSERVATIONS_EACH + " Observations";
    }

    @Override
    public boolean needsSmart() {
        return true;
    }

    @Override
    public void prepare(BenchClient client) throws Exception {
        Fixture f = Fixture.of(client, seed, adminPassword);
        String token = patientScoped() ? f.patientToken : f.systemToken;
        List<Call> out = new ArrayList<>();
        if (read()) {
            for (String ref : f.observations) {
                out.add(Call.get(ref).withBearer(token));
            }
        } else {
            out.add(Call.get("Observation?subject=" + f.patient).withBearer(token));
        }
        for (Call c : out) {
            BenchClient.Result r = client.call(c);
            if (r.status() != 200) {
                throw new IllegalStateException(name + ": " + c.path() + " answered " + r.status() + ": " + r.body());
            }
        }
        calls = out.toArray(Call[]::new);
    }

    @Override
    public Call next(int client, long n) {
        return calls.length == 1 ? calls[0] : calls[ThreadLocalRandom.current().nextInt(calls.length)];
    }

    /** The data and tokens all four variants share, made once per server. */
    private record Fixture(String patient, List<String> observations, String systemToken, String patientToken) {

        private static final Map<String, Fixture> BY_SERVER = new ConcurrentHashMap<>();

        static Fixture of(BenchClient client, long seed, String adminPassword) throws Exception {
            Fixture known = BY_SERVER.get(client.baseUrl());
            if (known != null) {
                return known;
            }
            if (adminPassword == null) {
                throw new IllegalStateException("the enforcement scenarios need the server's admin password"
                        + " (--admin-password with --server)");
            }
            SmartTokens smart = new SmartTokens(client.baseUrl(), adminPassword);
            String writer = smart.backendToken("bench-writer", "system/*.cruds");
            ResourceFactory factory = new ResourceFactory(seed ^ 0x5EC);
            List<Call> patients = new ArrayList<>();
            for (int p = 0; p < PATIENTS; p++) {
                patients.add(Call.post("Patient", ResourceFactory.utf8(factory.patient())).withBearer(writer));
            }
            List<String> refs = new ArrayList<>();
            for (BenchClient.Result r : client.sendAll(patients.iterator(), PREPARE_CONCURRENCY)) {
                refs.add(created(r));
            }
            List<Call> observations = new ArrayList<>();
            for (int o = 0; o < OBSERVATIONS_EACH; o++) {
                for (String ref : refs) {
                    observations.add(Call.post("Observation", ResourceFactory.utf8(factory.observation(ref)))
                            .withBearer(writer));
                }
            }
            List<String> mine = new ArrayList<>();
            List<BenchClient.Result> results = client.sendAll(observations.iterator(), PREPARE_CONCURRENCY);
            for (int i = 0; i < results.size(); i++) {
                String ref = created(results.get(i));
                if (i % refs.size() == 0) {
                    mine.add(ref); // the first patient's
                }
            }
            String patient = refs.get(0);
            Fixture f = new Fixture(patient, List.copyOf(mine), smart.backendToken("bench-reader", "system/*.rs"),
                    smart.patientToken(patient, "patient/*.rs"));
            f.warmUp(client);
            BY_SERVER.put(client.baseUrl(), f);
            return f;
        }

        /**
         * Sends every variant's requests before any is measured, so the variant measured first does not pay for
         * compiling the paths they share (which would make the later ones look cheaper).
         */
        private void warmUp(BenchClient client) throws InterruptedException {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < observations.size(); i++) {
                for (String token : List.of(systemToken, patientToken)) {
                    calls.add(Call.get(observations.get(i)).withBearer(token));
                    calls.add(Call.get("Observation?subject=" + patient).withBearer(token));
                }
            }
            long end = System.nanoTime() + WARM_UP.toNanos();
            while (System.nanoTime() < end) {
                client.sendAll(calls.iterator(), 8);
            }
        }

        private static String created(BenchClient.Result r) {
            String ref = r.status() == 201 ? Locations.reference(r.location()) : null;
            if (ref == null) {
                throw new IllegalStateException("a create for the enforcement scenarios failed: HTTP " + r.status()
                        + " " + r.body());
            }
            return ref;
        }
    }
}
