package dev.fhirbolt.bench.search;

import dev.fhirbolt.bench.BenchClient;
import dev.fhirbolt.bench.Call;
import dev.fhirbolt.bench.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * A search scenario on a Synthea data set: the first one to prepare loads the set ({@link SyntheaData}), then each
 * draws a pool of queries of its kind from the data and sends them picked at random. Every answer is a searchset
 * with at least the first page (default _count) and its includes.
 */
public final class SearchScenario implements Scenario {

    private final String name;
    private final String description;
    private final BiFunction<SyntheaData, Random, List<String>> queries;
    private final Path dataDir;
    private final int patients;
    private final int queryPatients;
    private final long seed;
    private Call[] calls;

    private SearchScenario(String name, String description, BiFunction<SyntheaData, Random, List<String>> queries,
            Path dataDir, int patients, int queryPatients, long seed) {
        this.name = name;
        this.description = description;
        this.queries = queries;
        this.dataDir = dataDir;
        this.patients = patients;
        this.queryPatients = queryPatients;
        this.seed = seed;
    }

    /** Every search scenario by name, in the order they run by default. */
    public static List<SearchScenario> all(Path dataDir, int patients, int queryPatients, long seed) {
        return List.of(
                new SearchScenario("search-obs-patient-code", "Observation?patient=X&code=Y",
                        SearchQueries::observationsOfPatientWithCode, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-obs-patient-code-nototal", "Observation?patient=X&code=Y&_total=none",
                        (d, r) -> SearchQueries.observationsOfPatientWithCode(d, r).stream()
                                .map(q -> q + "&_total=none").toList(), dataDir, patients, queryPatients, seed),
                new SearchScenario("search-patient-name", "Patient?name=family",
                        SearchQueries::patientsByName, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-obs-code-date", "Observation?code=Y&date=ge(30 days before the latest)",
                        SearchQueries::recentObservationsWithCode, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-encounter-include", "Encounter?patient=X&_include=Encounter:practitioner",
                        SearchQueries::encountersWithPractitioners, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-revinclude", "Patient?_id=X&_revinclude=Condition:patient",
                        SearchQueries::patientWithConditions, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-chain", "Observation?patient.family=F&code=Y",
                        SearchQueries::observationsByPatientFamily, dataDir, patients, queryPatients, seed),
                new SearchScenario("search-has", "Patient?_has:Condition:patient:code=C",
                        SearchQueries::patientsWithCondition, dataDir, patients, queryPatients, seed));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description + " on Synthea " + dataDir + (patients > 0 ? " (" + patients + " patients)" : "")
                + (queryPatients > 0 ? ", about " + queryPatients + " of them" : "");
    }

    @Override
    public void prepare(BenchClient client) throws Exception {
        if (dataDir == null) {
            throw new IllegalArgumentException(name + " needs --synthea DIR (a scripts/synthea.sh output's fhir/)");
        }
        SyntheaData data = SyntheaData.load(client, dataDir, patients, System.out).restrictedTo(queryPatients);
        List<String> paths = queries.apply(data, new Random(seed ^ name.replace("-nototal", "").hashCode()));
        calls = paths.stream().map(Call::get).toArray(Call[]::new);
        BenchClient.Result probe = client.call(calls[0]);
        if (probe.status() != 200) {
            throw new IllegalStateException(calls[0].path() + " answered " + probe.status() + ": " + probe.body());
        }
    }

    @Override
    public Call next(int client, long n) {
        return calls[ThreadLocalRandom.current().nextInt(calls.length)];
    }
}
