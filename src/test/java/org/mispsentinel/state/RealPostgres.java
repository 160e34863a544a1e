package org.mispsentinel.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests, from the Debian package's binaries
 * ({@code /usr/lib/postgresql/VERSION/bin}): one per test JVM, started on first use in
 * {@code target/postgres-PID} on a free loopback port with its unix socket in its data directory,
 * and stopped by a shutdown hook. As root it runs as the {@code postgres} user, since postgres
 * refuses to run as root. Each test class gets a database of its own:
 * <pre>
 * {@literal @}RegisterExtension static final RealPostgres.Database DB = RealPostgres.database();
 * ... DB.jdbcUrl(), DB.user(), DB.password()
 * </pre>
 */
public final class RealPostgres {

    public static final String USER = "postgres";
    /** The superuser's password: connections over TCP must give it, as a product's would. */
    public static final String PASSWORD = "pg-test-secret-4d1f";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");

    private static RealPostgres server;

    private final Path bin;
    private final Path data;
    private int port;
    private final boolean asRoot;
    private final AtomicInteger databases = new AtomicInteger();

    private RealPostgres(Path bin, Path data, int port, boolean asRoot) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.asRoot = asRoot;
    }

    /** The server of this JVM, started on the first call. */
    public static synchronized RealPostgres server() {
        if (server == null) {
            RealPostgres started = create();
            // a free port found may be taken by another process before the server binds it: another then
            for (int attempt = 1; ; attempt++) {
                try {
                    started.start();
                    break;
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    System.err.println("real-postgres: no start on port " + started.port + ", another port: "
                            + e.getMessage());
                    started.port = freePortQuietly();
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::stopQuietly, "real-postgres-stop"));
            server = started;
        }
        return server;
    }

    /** A fresh database for the test class that registers it. */
    public static Database database() {
        return new Database();
    }

    private static RealPostgres create() {
        Path bin = binaries();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path data = Path.of("target", "postgres-" + ProcessHandle.current().pid()).toAbsolutePath();
        try {
            deleteTree(data);
            Files.createDirectories(data);
            Path password = Files.createTempFile("pg-password", ".txt");
            Files.writeString(password, PASSWORD, StandardCharsets.UTF_8);
            if (asRoot) {
                // the server's own user must own its data directory and read the password file
                run(List.of("chown", "postgres:postgres", data.toString(), password.toString()), false);
            }
            RealPostgres pg = new RealPostgres(bin, data, freePort(), asRoot);
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--pwfile=" + password, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"));
            Files.delete(password);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest installed version's binaries; a clear failure naming the package when there are none. */
    private static Path binaries() {
        if (Files.isDirectory(INSTALLATIONS)) {
            try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
                Path bin = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())))
                        .orElse(null);
                if (bin != null) {
                    return bin;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("the tests of the PostgreSQL state need a PostgreSQL server: no initdb and "
                + "pg_ctl under " + INSTALLATIONS + "/*/bin. Install the Debian package 'postgresql' "
                + "(apt-get install -y postgresql), as .ci/run does");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Starts the server (again, after {@link #stop()}) on the same port and data. */
    public synchronized void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                        + data + " -c fsync=off -c full_page_writes=off -c max_connections=200"
                        + " -c shared_preload_libraries=pg_stat_statements",
                "start"));
    }

    /** Stops the server at once, as a crash or an outage would end it. */
    public synchronized void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    private void stopQuietly() {
        try {
            stop();
            deleteTree(data);
        } catch (RuntimeException | IOException e) {
            System.err.println("real-postgres: " + e.getMessage());
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A superuser connection to {@code database}, for a test to look at or act on the server. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /** Ends every other connection to {@code database}, as a lost network or a restarted server would. */
    public int terminateConnections(String database) throws SQLException {
        try (Connection c = connect("postgres");
             var s = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** A new, empty database named after {@code prefix}: one per test where tests of a class must not share. */
    public String createDatabase(String prefix) {
        String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + databases.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + name + " cannot be created: " + e.getMessage(), e);
        }
        return name;
    }

    private void run(List<String> command) {
        run(command, asRoot);
    }

    private static void run(List<String> command, boolean asPostgres) {
        List<String> line = new ArrayList<>();
        if (asPostgres) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(command);
        try {
            Path output = Files.createTempFile("real-postgres", ".log");
            try {
                Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", line) + " did not end within 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", line) + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(output));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePortQuietly() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A database of its own for one test class, on the JVM's server. */
    public static final class Database implements BeforeAllCallback {

        private String name;

        @Override
        public void beforeAll(ExtensionContext context) {
            name = server().createDatabase(context.getRequiredTestClass().getSimpleName());
        }

        public RealPostgres server() {
            return RealPostgres.server();
        }

        public String name() {
            return name;
        }

        public String jdbcUrl() {
            return RealPostgres.server().jdbcUrl(name);
        }

        public String user() {
            return USER;
        }

        public String password() {
            return PASSWORD;
        }

        public Connection connect() throws SQLException {
            return RealPostgres.server().connect(name);
        }
    }
}
