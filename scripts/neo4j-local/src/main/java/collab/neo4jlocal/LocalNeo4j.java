package collab.neo4jlocal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * A real Neo4j 5.26 Community DBMS, served over Bolt, for local development and tests.
 *
 * <p>Why this exists: the project needs the genuine engine (Cypher, constraints, indexes,
 * transactions, auth) but may neither use Docker nor download the server tarball. The very
 * same engine is published on Maven Central as {@code org.neo4j:neo4j} (+ {@code neo4j-bolt});
 * this class is the few lines that the tarball's launcher would otherwise provide: open a
 * {@link DatabaseManagementService} on a home folder and let Bolt listen on loopback.
 *
 * <p>Usage: {@code java -cp ... collab.neo4jlocal.LocalNeo4j [HOME_DIR] [PORT]}; the arguments
 * fall back to env {@code NEO4J_LOCAL_DATA} and {@code NEO4J_LOCAL_PORT}, then to
 * {@code ./neo4j-home} and 17687. The store goes to HOME_DIR/data, Neo4j's own debug log to
 * HOME_DIR/logs/debug.log, the user log to stdout. Normally started by the {@code neo4j-local}
 * script next to the pom, which waits for the {@value #READY} line.
 */
public final class LocalNeo4j {

    /** Printed once Bolt accepts connections AND the test password is in force. */
    static final String READY = "NEO4J-LOCAL READY";

    /** Fixed test credentials: a local, loopback-only engine; nothing secret about them. */
    static final String USER = "neo4j";
    static final String DEFAULT_PASSWORD = "collab-test-pw";

    private LocalNeo4j() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Neo4j's own threads are not daemons: without an explicit exit a failed start
            // would leave a JVM hanging around instead of reporting the failure.
            System.out.println("NEO4J-LOCAL FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path home = Path.of(arg(args, 0, "NEO4J_LOCAL_DATA", "neo4j-home")).toAbsolutePath();
        int port = Integer.parseInt(arg(args, 1, "NEO4J_LOCAL_PORT", "17687"));
        String password = env("NEO4J_LOCAL_PASSWORD", DEFAULT_PASSWORD);
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                // Bolt on loopback only. The advertised address is what the routing table
                // hands to neo4j:// drivers, so it must name the same address (the default,
                // "localhost", may resolve to ::1 where nothing listens).
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Small footprint: the heap is set by the launcher (-Xmx768m); the page cache
                // is off-heap, so cap it rather than let it size itself from the machine's RAM
                // (NEO4J_LOCAL_PAGECACHE_MB raises it, e.g. for benchmarks on large graphs).
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.mebiBytes(Long.parseLong(env("NEO4J_LOCAL_PAGECACHE_MB", "128"))))
                // Don't reserve 256 MiB per transaction-log file up front.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(32))
                // No "anonymous usage data" pings home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's shutdown otherwise idles 5 s + 5 s (Netty event loops) even with no client
                // connected; at 1 s debug.log says "termination ... exceeded": harmless.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        // Stop cleanly on SIGTERM/SIGINT so the store is not left needing recovery.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J-LOCAL stopping");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("NEO4J-LOCAL stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        setPassword(dbms, password);
        System.out.println(READY + " bolt://127.0.0.1:" + port + " home=" + home);
        System.out.flush();
        stopped.await();
    }

    /**
     * Puts the fixed test password on the built-in {@code neo4j} user.
     *
     * <p>With auth enabled, a new DBMS creates {@code neo4j}/{@code neo4j} with "change required"
     * (what {@code neo4j-admin dbms set-initial-password} would pre-empt by writing
     * {@code data/dbms/auth.ini}, an internal file format). Instead we use public Cypher on the
     * system database: the embedded API runs with full rights, so it can ALTER USER without a
     * login. Doing it on every start also repairs a data folder made with another password.
     * Neo4j rejects setting the password a user already has; that just means it's in force.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
            System.out.println("NEO4J-LOCAL password set for user '" + USER + "'");
        } catch (QueryExecutionException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            System.out.println("NEO4J-LOCAL password already in force for user '" + USER + "'");
        }
    }

    private static String arg(String[] args, int i, String envName, String fallback) {
        return args.length > i && !args[i].isBlank() ? args[i] : env(envName, fallback);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
