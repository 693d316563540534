package dev.fhirbolt.database;

import java.util.HashSet;
import java.util.Set;

/**
 * The resource types a planner reads while it decides what to commit. The cluster records them so that a plan made
 * on one node is refused when another node changed one of those types first ({@link Replication}). Reads made on a
 * thread that is not recording cost one thread-local look-up.
 */
public final class ReadSet {

    private static final ThreadLocal<Set<String>> RECORDING = new ThreadLocal<>();

    private ReadSet() {
    }

    /** Records the reads of the current thread until {@link #stop()}. */
    public static void start() {
        RECORDING.set(new HashSet<>());
    }

    /** The types read since {@link #start()}; recording ends. */
    public static Set<String> stop() {
        Set<String> types = RECORDING.get();
        RECORDING.remove();
        return types == null ? Set.of() : types;
    }

    /** Notes that the current thread read resources (or index entries) of {@code type}. */
    public static void read(String type) {
        Set<String> types = RECORDING.get();
        if (types != null) {
            types.add(type);
        }
    }

    /** Notes a read that may touch any type (a system-wide search or history). */
    public static void readAll() {
        read(ALL_TYPES);
    }

    /** Stands for every type in a read set. */
    public static final String ALL_TYPES = "*";
}
