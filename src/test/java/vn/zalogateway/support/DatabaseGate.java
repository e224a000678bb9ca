package vn.zalogateway.support;

import java.util.Map;
import java.util.regex.Matcher;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import vn.zalogateway.devdatabase.DevDatabaseConfigSourceFactory;
import vn.zalogateway.devdatabase.EmbeddedDatabase;

/**
 * The application's PostgreSQL pool connects through a {@link TcpGate} that the test shuts and opens (a field
 * marked {@link InjectDatabaseGate}): the refused and dropped connections of a database restart, for the application
 * only. Flyway and the tests' JDBC connections go straight to the server: the one the tests use, configured
 * (-Plocal-postgres) or the embedded one this JVM runs.
 */
public class DatabaseGate implements QuarkusTestResourceLifecycleManager {

    private TcpGate gate;

    @Override
    public Map<String, String> start() {
        String server;
        String database;
        String user = System.getProperty("quarkus.datasource.username", TestDatabase.USER);
        Matcher configured = TestDatabase.configuredUrl();
        if (configured != null) {
            server = configured.group(1);
            database = configured.group(2);
        } else {
            server = embeddedServer();
            database = EmbeddedDatabase.DATABASE;
            user = EmbeddedDatabase.USER;
        }
        TestDatabase.Address address = TestDatabase.Address.of(server);
        gate = new TcpGate(address.host(), address.port());
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + gate.port() + "/" + database,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + server + "/" + database,
                "quarkus.datasource.username", user);
    }

    /** The embedded server the applications of this JVM share (started now if none has been yet, as they would). */
    private static synchronized String embeddedServer() {
        String host = System.getProperty(DevDatabaseConfigSourceFactory.RUNNING);
        if (host == null) {
            host = EmbeddedDatabase.start(null).host();
            System.setProperty(DevDatabaseConfigSourceFactory.RUNNING, host);
        }
        return host;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(gate, new TestInjector.AnnotatedAndMatchesType(InjectDatabaseGate.class, TcpGate.class));
    }

    @Override
    public void stop() {
        if (gate != null) {
            gate.close();
        }
    }
}
