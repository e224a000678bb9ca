/**
 * Where dev mode and the tests find PostgreSQL when nobody said where: a configured
 * {@code quarkus.datasource.*} URL first, else Quarkus Dev Services when a Docker engine answers, else
 * an embedded PostgreSQL started on a free port for as long as the JVM runs.
 *
 * <p>This package, the embedded server and its binaries live in src/dev, which the gateway has as a
 * {@code provided} dependency: dev mode and the tests have them, a packaged build has none of them. Even
 * there, {@link vn.zalogateway.devdatabase.DevDatabaseConfigSourceFactory} does nothing outside dev and test.
 */
package vn.zalogateway.devdatabase;
