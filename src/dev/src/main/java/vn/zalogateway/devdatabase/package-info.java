/**
 * Where dev mode and the tests find PostgreSQL when nobody said where: a configured
 * {@code quarkus.datasource.*} URL first, else Quarkus Dev Services when a Docker engine answers, else
 * an embedded PostgreSQL started on a free port for as long as the JVM runs.
 *
 * <p>The embedded server and its binaries come from a {@code provided} dependency, which a packaged
 * build leaves out; {@link vn.zalogateway.devdatabase.EmbeddedDatabase} is left out of the jar too, and
 * {@link vn.zalogateway.devdatabase.DevDatabaseConfigSourceFactory} does nothing outside dev and test.
 */
package vn.zalogateway.devdatabase;
