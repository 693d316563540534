package dev.fhirbolt.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is wrong with the server right now, as its parts report it: each part (the commit pipeline, storage, the
 * audit writer, the export runner, ...) reports a condition under its own name and clears it when it has recovered.
 * {@code /health} answers from it. Thread-safe; reporting is cheap and may happen on any thread.
 */
public final class Health {

    /** How bad a condition is: DEGRADED still serves reads; DOWN cannot do its job at all. */
    public enum Level {
        UP, DEGRADED, DOWN
    }

    /** One part's problem, since when, in words an operator can act on. */
    public record Condition(String component, Level level, String reason, Instant since) {
    }

    private final Map<String, Condition> conditions = new ConcurrentHashMap<>();

    /** Reports (or updates) a part's problem; keeps the first time it was seen while the level stays the same. */
    public void report(String component, Level level, String reason) {
        if (level == Level.UP) {
            clear(component);
            return;
        }
        conditions.compute(component, (name, old) -> new Condition(name, level, reason,
                old != null && old.level() == level ? old.since() : Instant.now()));
    }

    /** The part works again. */
    public void clear(String component) {
        conditions.remove(component);
    }

    /** The worst level reported, UP when nothing is. */
    public Level level() {
        return conditions.values().stream().map(Condition::level).max(Comparator.naturalOrder()).orElse(Level.UP);
    }

    /** The current conditions, worst first. */
    public List<Condition> conditions() {
        List<Condition> all = new ArrayList<>(conditions.values());
        all.sort(Comparator.comparing(Condition::level).reversed().thenComparing(Condition::component));
        return all;
    }

    /** The condition a part reported, if any. */
    public java.util.Optional<Condition> condition(String component) {
        return java.util.Optional.ofNullable(conditions.get(component));
    }
}
