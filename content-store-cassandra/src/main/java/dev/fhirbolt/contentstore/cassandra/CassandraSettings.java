package dev.fhirbolt.contentstore.cassandra;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a {@link CassandraContentStore} reaches its cluster.
 *
 * @param contactPoints     some nodes of the cluster (the driver discovers the others)
 * @param localDatacenter   the data centre whose nodes serve requests, e.g. {@code datacenter1}
 * @param keyspace          created when missing, with the table
 * @param replicationFactor for a keyspace this store creates; 0 means min(3, nodes of the local data centre). An
 *                          existing keyspace keeps its own.
 * @param consistency       of every read and write: {@code QUORUM} (the default), {@code LOCAL_QUORUM}, {@code ALL},
 *                          {@code ONE} or {@code LOCAL_ONE}; reads see every acknowledged write only when reads and
 *                          writes both overlap a majority of replicas (QUORUM, LOCAL_QUORUM or ALL)
 * @param requestTimeout    of one request to Cassandra, retries included; an operation on a value of n chunks
 *                          fails within about (1 + n / 4) times this
 */
public record CassandraSettings(
        List<InetSocketAddress> contactPoints,
        String localDatacenter,
        String keyspace,
        int replicationFactor,
        String consistency,
        Duration requestTimeout) {

    public static final int DEFAULT_PORT = 9042;
    public static final String DEFAULT_KEYSPACE = "fhirbolt";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> CONSISTENCIES = Set.of("ONE", "LOCAL_ONE", "QUORUM", "LOCAL_QUORUM", "ALL");
    private static final Pattern KEYSPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

    public CassandraSettings {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("Cassandra needs at least one contact point (host:port)");
        }
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        if (localDatacenter.isBlank()) {
            throw new IllegalArgumentException("Cassandra needs the name of the local data centre (e.g. datacenter1)");
        }
        if (!KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("Cassandra keyspace '" + keyspace
                    + "' is not a letter followed by up to 47 letters, digits or underscores");
        }
        if (replicationFactor < 0) {
            throw new IllegalArgumentException("Cassandra replication factor is 0 (automatic) or more, not " + replicationFactor);
        }
        if (!CONSISTENCIES.contains(consistency)) {
            throw new IllegalArgumentException("Cassandra consistency '" + consistency + "' is not one of "
                    + "ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM, ALL");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("Cassandra request timeout must be positive, not " + requestTimeout);
        }
    }

    /** The defaults (keyspace {@code fhirbolt}, automatic replication factor, QUORUM, 5 s) for these nodes. */
    public static CassandraSettings of(String contactPoints, String localDatacenter) {
        return new CassandraSettings(parseContactPoints(contactPoints), localDatacenter, DEFAULT_KEYSPACE, 0, "QUORUM",
                DEFAULT_REQUEST_TIMEOUT);
    }

    public CassandraSettings withKeyspace(String name) {
        return new CassandraSettings(contactPoints, localDatacenter, name, replicationFactor, consistency, requestTimeout);
    }

    public CassandraSettings withReplicationFactor(int factor) {
        return new CassandraSettings(contactPoints, localDatacenter, keyspace, factor, consistency, requestTimeout);
    }

    public CassandraSettings withConsistency(String level) {
        return new CassandraSettings(contactPoints, localDatacenter, keyspace, replicationFactor, level, requestTimeout);
    }

    public CassandraSettings withRequestTimeout(Duration timeout) {
        return new CassandraSettings(contactPoints, localDatacenter, keyspace, replicationFactor, consistency, timeout);
    }

    /** {@code host:port,host:port,...} (the port defaults to 9042) as addresses, unresolved until connecting. */
    public static List<InetSocketAddress> parseContactPoints(String text) {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String part : text.split(",")) {
            String point = part.strip();
            if (point.isEmpty()) {
                continue;
            }
            int colon = point.lastIndexOf(':');
            String host = colon < 0 ? point : point.substring(0, colon);
            int port = DEFAULT_PORT;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(point.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("Cassandra contact point '" + point + "' is not host:port");
            }
            points.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("Cassandra needs at least one contact point (host:port), got '" + text + "'");
        }
        return points;
    }
}
