package vn.zalogateway.common;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Ready only when the database holds every migration this build carries. On Kubernetes the serving
 * pods start without running Flyway (a Job migrates before the rollout, see deploy/README.md), so a
 * pod that starts before that Job is done, or against a database restored from an older backup, takes
 * no traffic until its schema is there.
 */
@Readiness
@ApplicationScoped
public class SchemaReadiness implements AsyncHealthCheck {

    /** The newest migration in {@code src/main/resources/db/migration}; a test keeps the two in step. */
    public static final int SCHEMA_VERSION = 22;

    static final String NAME = "Database schema";

    private final Pool pool;

    SchemaReadiness(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("select max(cast(version as integer)) from flyway_schema_history where success").execute()
                .map(rows -> verdict(rows.iterator().next().getInteger(0)))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("expected", SCHEMA_VERSION).withData("error", failure.getClass().getSimpleName()).build());
    }

    /** Both versions as numbers; 0 applied means none (Flyway versions here start at 1). */
    static HealthCheckResponse verdict(Integer applied) {
        int version = applied == null ? 0 : applied;
        return HealthCheckResponse.named(NAME).status(version >= SCHEMA_VERSION).withData("expected", SCHEMA_VERSION)
                .withData("applied", version).build();
    }
}
