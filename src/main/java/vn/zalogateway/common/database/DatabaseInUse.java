package vn.zalogateway.common.database;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/** One line at start that says which PostgreSQL the gateway uses and who chose it (never a password). */
@Singleton
public class DatabaseInUse {

    /**
     * host:port of the embedded PostgreSQL this JVM started, if any: set by the dev-mode and test module
     * (src/dev, vn.zalogateway.devdatabase), which the gateway cannot name because it never ships with it.
     */
    public static final String EMBEDDED_HOST_PROPERTY = "vn.zalogateway.embedded-postgres.host";

    void onStart(@Observes StartupEvent start) {
        ConfigValue url = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigValue("quarkus.datasource.reactive.url");
        Log.info(describe(url.getValue(), url.getSourceName(), System.getProperty(EMBEDDED_HOST_PROPERTY),
                ConfigProvider.getConfig().getOptionalValue("gateway.embedded-postgres.data-dir", String.class).orElse(null)));
    }

    /** @param embeddedHost host:port of the embedded server this JVM started, or null */
    static String describe(String url, String source, String embeddedHost, String embeddedDataDir) {
        if (url == null) {
            return "Database: none configured (set QUARKUS_DATASOURCE_REACTIVE_URL)";
        }
        String where = withoutSecrets(url);
        if (embeddedHost != null && url.contains("//" + embeddedHost + "/")) {
            return "Database: " + where + ", an embedded PostgreSQL (no URL configured, no Docker engine for Dev Services); "
                    + (embeddedDataDir == null ? "its data is deleted when the JVM exits" : "its data is kept in " + embeddedDataDir);
        }
        if (source != null && source.contains("DevServices")) {
            return "Database: " + where + ", a PostgreSQL container of Quarkus Dev Services";
        }
        return "Database: " + where + " (from " + (source == null ? "an unknown source" : source) + ")";
    }

    /** postgresql://user:secret@host/db?password=x -> postgresql://user:***@host/db?password=*** */
    static String withoutSecrets(String url) {
        return url.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
