import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.ColumnDefinitions;
import com.datastax.driver.core.ResultSet;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;

/** The cqlsh stand-in of the cassandra:5.0 stand-in image: {@code cqlsh [HOST [PORT]] -e STATEMENT}. */
public final class StandinCqlsh {
    public static void main(String[] args) {
        String host = System.getenv().getOrDefault("CQLSH_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("CQLSH_PORT", "9042"));
        String statement = null;
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-e", "--execute" -> statement = args[++i];
                default -> {
                    if (args[i].startsWith("-")) {
                        System.err.println("cqlsh stand-in: unsupported option " + args[i]);
                        System.exit(2);
                    }
                    if (positional++ == 0) host = args[i]; else port = Integer.parseInt(args[i]);
                }
            }
        }
        if (statement == null) {
            System.err.println("cqlsh stand-in: only -e 'STATEMENT' is supported");
            System.exit(2);
        }
        try (Cluster cluster = Cluster.builder().addContactPoint(host).withPort(port).withoutMetrics()
                .withoutJMXReporting().build(); Session session = cluster.connect()) {
            ResultSet rows = session.execute(statement);
            ColumnDefinitions columns = rows.getColumnDefinitions();
            for (Row row : rows) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < columns.size(); c++) {
                    line.append(c == 0 ? "" : " | ").append(row.getObject(c));
                }
                System.out.println(line);
            }
        } catch (RuntimeException e) {
            System.err.println("cqlsh stand-in: " + e);
            System.exit(1);
        }
    }
}
