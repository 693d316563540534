package dev.fhirbolt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code create}: POST [type] of small, varied resources (about 30% Patients, 70% Observations about a few
 * existing Patients). Every 201 is a durable create: the server answers after its write-ahead log is synced.
 */
public final class CreateScenario implements Scenario {

    static final int POOL = 4096; // distinct bodies, cycled; a power of two
    private static final int SUBJECTS = 32;

    private final long seed;
    private final AtomicLong counter = new AtomicLong();
    private Call[] pool;

    public CreateScenario(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String description() {
        return "POST a new Patient (30%) or Observation (70%), 0.5-0.6 KB each; a 201 means durably written";
    }

    @Override
    public void prepare(BenchClient client) throws Exception {
        ResourceFactory factory = new ResourceFactory(seed);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < SUBJECTS; i++) {
            BenchClient.Result r = client.call(Call.post("Patient", ResourceFactory.utf8(factory.patient())));
            String ref = Locations.reference(r.location());
            if (r.status() != 201 || ref == null) {
                throw new IllegalStateException("could not create a Patient to refer to: HTTP " + r.status()
                        + " " + r.body());
            }
            subjects.add(ref);
        }
        pool = bodies(factory, subjects, POOL);
    }

    /** The pool of prepared POSTs; {@code subjects} are references such as {@code Patient/1}. */
    static Call[] bodies(ResourceFactory factory, List<String> subjects, int count) {
        Call[] calls = new Call[count];
        for (int i = 0; i < count; i++) {
            int k = i % 10; // a fixed pattern of 3 Patients in 10 keeps the mix exact whatever the seed
            calls[i] = k == 0 || k == 3 || k == 6
                    ? Call.post("Patient", ResourceFactory.utf8(factory.patient()))
                    : Call.post("Observation", ResourceFactory.utf8(
                            factory.observation(subjects.get(i % subjects.size()))));
        }
        return calls;
    }

    @Override
    public Call next(int client, long n) {
        return pool[(int) (counter.getAndIncrement() & (POOL - 1))];
    }
}
