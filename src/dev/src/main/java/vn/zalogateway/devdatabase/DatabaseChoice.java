package vn.zalogateway.devdatabase;

/** Which PostgreSQL dev mode or a test run uses, in the order the README documents. */
public enum DatabaseChoice {
    /** A {@code quarkus.datasource.*} URL is set (application.properties, a system property, the environment). */
    CONFIGURED,
    /** Quarkus Dev Services start a PostgreSQL container: a Docker engine answers. */
    DEV_SERVICES,
    /** An embedded PostgreSQL from Maven Central, started by this JVM. */
    EMBEDDED,
    /** A packaged build, or the embedded server switched off: the gateway uses what it is given. */
    NONE;

    /**
     * @param devOrTest          dev mode or a test run (a packaged build never starts a database)
     * @param urlConfigured      a reactive or JDBC datasource URL is configured
     * @param devServicesEnabled neither {@code quarkus.devservices.enabled} nor the datasource's is false
     * @param dockerAnswers      asked only when it matters: a Docker engine answered its ping
     * @param embeddedEnabled    {@code gateway.embedded-postgres.enabled}
     */
    public static DatabaseChoice of(boolean devOrTest, boolean urlConfigured, boolean devServicesEnabled,
            java.util.function.BooleanSupplier dockerAnswers, boolean embeddedEnabled) {
        if (urlConfigured) {
            return CONFIGURED;
        }
        if (!devOrTest) {
            return NONE;
        }
        if (devServicesEnabled && dockerAnswers.getAsBoolean()) {
            return DEV_SERVICES;
        }
        return embeddedEnabled ? EMBEDDED : NONE;
    }
}
