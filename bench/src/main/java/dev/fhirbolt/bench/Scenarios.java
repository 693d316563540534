package dev.fhirbolt.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The scenarios {@code --scenarios} can name, in the order they run by default. Register new ones here. */
public final class Scenarios {

    /** What a scenario may take from the command line. */
    public record Settings(long seed, int readIds, java.nio.file.Path synthea, int syntheaPatients,
            int syntheaQueryPatients, String adminPassword) {

        public Settings(long seed, int readIds) {
            this(seed, readIds, null, 0, 0, null);
        }
    }

    private static final Map<String, Function<Settings, Scenario>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("create", s -> new CreateScenario(s.seed()));
        ALL.put("read", s -> new ReadScenario(s.seed(), s.readIds()));
        for (var search : dev.fhirbolt.bench.search.SearchScenario.all(null, 0, 0, 0)) {
            String name = search.name();
            ALL.put(name, s -> dev.fhirbolt.bench.search.SearchScenario.all(s.synthea(), s.syntheaPatients(),
                    s.syntheaQueryPatients(), s.seed()).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow());
        }
        for (String name : dev.fhirbolt.bench.smart.EnforcementScenario.names()) {
            ALL.put(name, s -> new dev.fhirbolt.bench.smart.EnforcementScenario(name, s.seed(), s.adminPassword()));
        }
    }

    private Scenarios() {
    }

    public static Iterable<String> names() {
        return ALL.keySet();
    }

    /**
     * A name as the scenarios it stands for: {@code enforce} is the four enforcement scenarios in the order
     * A B B A (read, read-patient, search, search-patient, then back), so that a drift of the machine's load during
     * the run weighs on both sides of each comparison alike; other names stand for themselves.
     */
    public static List<String> expand(String name) {
        if (!name.equals("enforce")) {
            return List.of(name);
        }
        List<String> forth = dev.fhirbolt.bench.smart.EnforcementScenario.names();
        List<String> out = new java.util.ArrayList<>(forth);
        out.addAll(forth.reversed());
        return out;
    }

    public static Scenario create(String name, Settings settings) {
        Function<Settings, Scenario> f = ALL.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + String.join(", ",
                    ALL.keySet()));
        }
        return f.apply(settings);
    }
}
