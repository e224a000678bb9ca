package vn.zalogateway.devdatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Gives dev mode and {@code @QuarkusTest} runs a database when none was configured and no Docker engine
 * answers for Dev Services: it starts an {@link EmbeddedDatabase} and points the datasource at it.
 *
 * <p>Config is built several times in one JVM (static and runtime init, every live reload, every test
 * profile), so the running server's address is kept in a system property and reused: one server per JVM.
 * Outside dev and test this returns nothing and never touches the embedded server's classes.
 */
public class DevDatabaseConfigSourceFactory implements ConfigSourceFactory {

    /** host:port of the embedded server this JVM started, if any (the gateway's DatabaseInUse reads it). */
    public static final String RUNNING = "vn.zalogateway.embedded-postgres.host";

    /** The name the config source reports; the start-up line shows it as where the URL came from. */
    public static final String SOURCE_NAME = "embedded PostgreSQL";

    static final int ORDINAL = 100;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        DatabaseChoice choice = DatabaseChoice.of(devOrTest,
                isSet(context, "quarkus.datasource.reactive.url") || isSet(context, "quarkus.datasource.jdbc.url"),
                !isFalse(context, "quarkus.devservices.enabled") && !isFalse(context, "quarkus.datasource.devservices.enabled"),
                DockerEngine::answers,
                !isFalse(context, "gateway.embedded-postgres.enabled"));
        if (choice != DatabaseChoice.EMBEDDED) {
            return List.of();
        }
        String host = running(value(context, "gateway.embedded-postgres.data-dir"));
        String database = EmbeddedDatabase.DATABASE;
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + host + "/" + database,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + "/" + database,
                "quarkus.datasource.username", EmbeddedDatabase.USER), SOURCE_NAME, ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The server this JVM already runs, or a new one: kept in {@code dataDir} (dev), or temporary (tests). */
    private static synchronized String running(String dataDir) {
        String host = System.getProperty(RUNNING);
        if (host == null) {
            host = EmbeddedDatabase.start(dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir)).host();
            System.setProperty(RUNNING, host);
        }
        return host;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        String value = value(context, name);
        return value != null && !value.isBlank();
    }

    private static boolean isFalse(ConfigSourceContext context, String name) {
        return "false".equalsIgnoreCase(value(context, name));
    }
}
