package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import vn.zalogateway.support.TestDatabase;

/**
 * The floor of our stack ({@code src/bench/floor}): a minimal Quarkus app with only the extensions the design
 * requires, built here by the same Maven and JDK as the gateway (and the same native toolchain when the
 * gateway's binary is measured), and started against the same database.
 */
final class FloorApp {

    static final Path PROJECT = Path.of("src", "bench", "floor");
    static final Path JAR = PROJECT.resolve("target/quarkus-app/quarkus-run.jar");

    private FloorApp() {
    }

    /**
     * Packages the floor as a jar, and as a native binary too when asked: offline first (the gateway's build has
     * fetched the same platform), online if something is missing. Fails the benchmark if the build fails.
     */
    static void build(boolean nativeImage) throws Exception {
        String maven = System.getProperty("maven.home");
        List<String> command = new ArrayList<>(List.of(maven == null ? "mvn" : Path.of(maven, "bin", "mvn").toString(),
                "-B", "-q", "-f", PROJECT.resolve("pom.xml").toString(), "package", "-DskipTests"));
        Optional.ofNullable(System.getProperty("bench.maven.repository")).filter(path -> !path.isBlank())
                .ifPresent(path -> command.add("-Dmaven.repo.local=" + path));
        if (nativeImage) {
            command.add("-Dnative");
            Optional.ofNullable(System.getProperty("quarkus.native.native-image-xmx"))
                    .ifPresent(xmx -> command.add("-Dquarkus.native.native-image-xmx=" + xmx));
        }
        List<String> offline = new ArrayList<>(command);
        offline.add("-o");
        if (run(offline) != 0) {
            int exit = run(command);
            assertThat(exit).as("the floor app's build (%s):%n%s", command, Files.readString(LOG)).isZero();
        }
    }

    static final Path LOG = Path.of("target", "floor-build.log");

    private static int run(List<String> command) throws Exception {
        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        assertThat(build.waitFor(20, TimeUnit.MINUTES)).as("the floor app's build ends").isTrue();
        return build.exitValue();
    }

    /** Its table in the gateway's database (after the gateway's migrations), with the one row its GET reads. */
    static void createTable(String database) throws Exception {
        try (var connection = TestDatabase.connect(database); var statement = connection.createStatement()) {
            statement.execute("create table if not exists floor_items (id bigint primary key, name text)");
            statement.execute("insert into floor_items values (1, 'floor') on conflict do nothing");
        }
    }

    /** What the floor reads at start: the database, as the gateway gets it. */
    static Map<String, String> environment(String database) {
        return Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER);
    }
}
