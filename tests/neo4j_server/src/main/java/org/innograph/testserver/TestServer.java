package org.innograph.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Neo4j Community with Bolt on a loopback port, for InnoGraph's tests and benches.
 *
 * <pre>java -cp ... org.innograph.testserver.TestServer --port 7687 --data DIR [--instances 1]
 *     [--pagecache 64m] [--tx-memory 256m]</pre>
 *
 * Prints {@code NEO4J READY bolt://127.0.0.1:PORT ...} once every default database answers, and shuts
 * down cleanly on SIGTERM (a JVM shutdown hook) or when its standard input closes, so a test
 * runner that dies without cleaning up still takes the server with it. Authentication is
 * disabled: it listens on loopback only and is never a user's database.
 */
public final class TestServer {
    private static final AtomicBoolean STOPPED = new AtomicBoolean();

    private TestServer() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(require(options, "port"));
        int instances = Integer.parseInt(options.getOrDefault("instances", "1"));
        Path data = Path.of(require(options, "data")).toAbsolutePath();
        List<DatabaseManagementService> services = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(services), "neo4j-shutdown"));
        // Community runs one user database per DBMS, so tests that need several graphs at
        // once (a module's shared graph and a per-test one) get one DBMS each, side by side
        // in this JVM, each with its own Bolt port (port, port + 1, ...) and data directory.
        for (int i = 0; i < instances; i++) {
            DatabaseManagementService service = start(data.resolve("db" + i), port + i, options);
            synchronized (services) {
                services.add(service);
            }
        }
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < instances; i++) {
            ports.append(i == 0 ? "" : " ").append("bolt://127.0.0.1:").append(port + i);
        }
        System.out.println("NEO4J READY " + ports);
        System.out.flush();

        // Block until the parent closes our stdin (or dies): then shut down via the hook.
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Input is ignored; only its end matters.
        }
        System.exit(0);
    }

    private static DatabaseManagementService start(Path data, int port, Map<String, String> options)
            throws IOException {
        // Settings without a public typed constant go through a neo4j.conf in the data
        // directory. Memory stays small: the test graphs are tiny and the machine is shared
        // with other test processes.
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("server.memory.pagecache.size", options.getOrDefault("pagecache", "64m"));
        raw.put("db.memory.transaction.total.max", options.getOrDefault("tx-memory", "256m"));
        // Transaction logs are only for recovery here: keep the disk footprint small.
        raw.put("db.tx_log.rotation.retention_policy", "2 files");
        raw.put("db.tx_log.rotation.size", "16m");
        raw.put("dbms.usage_report.enabled", "false");
        raw.put("server.bolt.thread_pool_max_size", "64");
        Files.createDirectories(data);
        Path conf = data.resolve("neo4j.conf");
        StringBuilder text = new StringBuilder();
        raw.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text.toString());

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(data)
                .loadPropertiesFromFile(conf)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .build();
        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        // The first transaction proves the database is open, not only the connector.
        try (var tx = db.beginTx()) {
            tx.execute("RETURN 1").close();
            tx.commit();
        }
        return service;
    }

    private static void stop(List<DatabaseManagementService> services) {
        if (STOPPED.compareAndSet(false, true)) {
            synchronized (services) {
                services.forEach(DatabaseManagementService::shutdown);
            }
            System.out.println("NEO4J STOPPED");
            System.out.flush();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("missing --" + name);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: TestServer --port PORT --data DIR [--instances 1] [--pagecache 64m]"
                        + " [--tx-memory 256m]");
        System.exit(2);
    }
}
