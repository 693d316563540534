package dev.fhirbolt.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code read}: GET [type]/[id] of resources picked at random from a set created before the run (the same mix as
 * {@code create}). Measures the plain-JSON read path: two point lookups and the stored bytes sent as they are.
 */
public final class ReadScenario implements Scenario {

    private final long seed;
    private final int idCount;
    private Call[] reads;
    private String header;

    public ReadScenario(long seed, int idCount) {
        this.seed = seed;
        this.idCount = idCount;
    }

    @Override
    public String name() {
        return "read";
    }

    @Override
    public String description() {
        return "GET Patient/{id} or Observation/{id}, uniformly over " + idCount + " ids created beforehand";
    }

    @Override
    public void prepare(BenchClient client) throws Exception {
        ResourceFactory factory = new ResourceFactory(seed ^ 0x5EED);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String ref = Locations.reference(client.call(Call.post("Patient",
                    ResourceFactory.utf8(factory.patient()))).location());
            if (ref != null) {
                subjects.add(ref);
            }
        }
        if (subjects.isEmpty()) {
            throw new IllegalStateException("the server did not create Patients (no Location header)");
        }
        Call[] creates = CreateScenario.bodies(factory, subjects, idCount);
        Iterator<Call> it = List.of(creates).iterator();
        List<BenchClient.Result> results = client.sendAll(it, 16);
        List<Call> gets = new ArrayList<>(idCount);
        int failed = 0;
        for (BenchClient.Result r : results) {
            String ref = r.status() == 201 ? Locations.reference(r.location()) : null;
            if (ref == null) {
                failed++;
            } else {
                gets.add(Call.get(ref).withHeader(header));
            }
        }
        if (gets.isEmpty() || failed > idCount / 100) {
            throw new IllegalStateException(failed + " of " + idCount + " creates failed while preparing reads");
        }
        reads = gets.toArray(Call[]::new);
    }

    /** The ids read, as {@code Type/id}; available after {@link #prepare}. */
    public List<String> references() {
        List<String> refs = new ArrayList<>(reads.length);
        for (Call c : reads) {
            refs.add(c.path());
        }
        return refs;
    }

    /**
     * Sends every read with this header ({@code Name: value}), e.g. a cluster's read-your-writes position; set before
     * {@link #prepare}.
     */
    public ReadScenario withHeader(String nameAndValue) {
        this.header = nameAndValue;
        return this;
    }

    @Override
    public Call next(int client, long n) {
        return reads[ThreadLocalRandom.current().nextInt(reads.length)];
    }
}
