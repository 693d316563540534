package dev.fhirbolt.bench;

/**
 * A kind of load: what one request looks like and how a scenario gets its data ready.
 *
 * <p>To add a scenario (ingest, search, export...), implement this interface in one class and register it in
 * {@link Scenarios}. The {@link LoadRunner} calls {@link #prepare} once, then {@link #next} from many threads for
 * every request of the warm-up and of the measured period, so {@code next} must be thread-safe and cheap.
 */
public interface Scenario {

    /** Short name used on the command line and in reports, e.g. {@code read}. */
    String name();

    /** One line saying what is measured, for the report. */
    String description();

    /**
     * True when the scenario needs a server that enforces SMART tokens and scopes (its requests carry tokens); the
     * benchmark then starts the server so, and every scenario of the run must need it.
     */
    default boolean needsSmart() {
        return false;
    }

    /** Sets up what the requests need (e.g. creates the resources a read scenario reads). Runs once. */
    default void prepare(BenchClient client) throws Exception {
    }

    /** The request the given virtual client sends next; {@code n} counts that client's requests from 0. */
    Call next(int client, long n);

    /**
     * Called for every completed request with its status and {@code Location} header (may be null); a scenario
     * that remembers what it created uses this. Runs on client I/O threads: must be fast and thread-safe.
     */
    default void completed(Call call, int status, String location) {
    }
}
