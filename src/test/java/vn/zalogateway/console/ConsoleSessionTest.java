package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.console.signin.Operators;
import vn.zalogateway.console.signin.SignInThrottle;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * Operators' sessions end for good, on every replica: a copied cookie is worth nothing after sign-out, the check
 * reads PostgreSQL on every request (so another replica's sign-out counts at once), and a sign-in under a
 * changed password ends the sessions of before. The throttle holds against parallel guesses.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleSessionTest {

    static final Path LOG = Path.of("target", "quarkus-test.log");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ConsoleSecurity security;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("console_sign_in_attempts");
    }

    @AfterEach
    void forgetAttempts() {
        rows.clear("console_sign_in_attempts"); // the parallel guesses used this address' budget
    }

    @Test
    void aCopiedCookieStopsWorkingAtSignOutAndTheSignInsAreAudited() throws Exception {
        long logBefore = Files.exists(LOG) ? Files.size(LOG) : 0;
        Browser admin = ConsoleSignIn.as(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        String session = admin.cookies().get("zg-console-session");
        Browser copy = new Browser(Map.of("zg-console-session", session), "no-token"); // another machine, the cookie alone
        copy.request().get("/console/messages").then().statusCode(200);

        admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", admin.token()).post("/console/sign-out")
                .then().statusCode(303);

        copy.request().get("/console/messages").then().statusCode(302).header("Location", startsWith("/console/sign-in"));
        admin.request().get("/console").then().statusCode(302);
        // signing out again with the old cookie is no sign-out: there is no session left to end
        admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", admin.token()).post("/console/sign-out")
                .then().statusCode(302).header("Location", startsWith("/console/sign-in"));

        String written = appended(logBefore); // written before the answer went out
        assertThat(written).contains("audit actor=operator:ops-admin action=operator.signed_in subject=console",
                "audit actor=operator:ops-admin action=operator.signed_out subject=console");
        assertThat(written).doesNotContain(ConsoleSignIn.ADMIN_PASSWORD).doesNotContain(session);
    }

    @Test
    void aSignOutOnAnotherReplicaCountsHereAtOnce() {
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        viewer.request().get("/console").then().statusCode(200);
        // what another replica's sign-out writes; this replica keeps nothing of its own to be stale
        assertThat(rows.update("update console_operators set session_version = session_version + 1 where name = ?",
                ConsoleSignIn.VIEWER)).isEqualTo(1);
        viewer.request().get("/console").then().statusCode(302).header("Location", startsWith("/console/sign-in"));
        ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD).request().get("/console").then().statusCode(200);
    }

    @Test
    void anOperatorRemovedFromTheConfigurationHasNoSessionLeft() {
        // A session as this replica would have made it for an operator its configuration no longer lists (a
        // replica configured before the removal made it); the same for a listed one is let in.
        rows.update("insert into console_operators (name, session_version, fingerprint, updated_at) values ('removed-operator', 0, 'fp', now()) "
                + "on conflict (name) do nothing");
        String removed = security.sessions().start(new Operators.Operator("removed-operator", Operators.ADMIN, "fp"), 0, Instant.now());
        new Browser(Map.of(ConsoleSecurity.SESSION_COOKIE, removed), "no-token").request().get("/console/messages")
                .then().statusCode(302).header("Location", startsWith("/console/sign-in"));

        Operators.Operator viewer = security.operators().find(ConsoleSignIn.VIEWER).orElseThrow();
        ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD); // its row and version exist
        long version = (Long) rows.one("select session_version from console_operators where name = ?", ConsoleSignIn.VIEWER)
                .get("session_version");
        String listed = security.sessions().start(viewer, version, Instant.now());
        new Browser(Map.of(ConsoleSecurity.SESSION_COOKIE, listed), "no-token").request().get("/console/messages").then().statusCode(200);
    }

    @Test
    void aSignInUnderAChangedPasswordEndsTheSessionsOfBefore() {
        Browser before = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        long version = (Long) rows.one("select session_version from console_operators where name = ?", ConsoleSignIn.VIEWER)
                .get("session_version");
        Browser again = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        before.request().get("/console").then().statusCode(200); // a second sign-in under the same password ends nothing
        assertThat(rows.one("select session_version from console_operators where name = ?", ConsoleSignIn.VIEWER))
                .isEqualTo(Map.of("session_version", version));

        // the last sign-in was under another password (a replica configured with the new hash): ours is the old one
        rows.update("update console_operators set fingerprint = 'the-new-password' where name = ?", ConsoleSignIn.VIEWER);
        before.request().get("/console").then().statusCode(200);
        Browser after = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        assertThat(rows.one("select session_version from console_operators where name = ?", ConsoleSignIn.VIEWER))
                .isEqualTo(Map.of("session_version", version + 1));
        before.request().get("/console").then().statusCode(302);
        again.request().get("/console").then().statusCode(302);
        after.request().get("/console").then().statusCode(200);
    }

    @Test
    void parallelWrongPasswordsNeverPassTheLimit() throws Exception {
        String name = "parallel-" + UUID.randomUUID().toString().substring(0, 8);
        List<Browser> visitors = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            visitors.add(ConsoleSignIn.visitor());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Browser visitor = visitors.get(i);
                String guess = "guess-" + i;
                Callable<Integer> attempt = () -> {
                    start.await();
                    return ConsoleSignIn.post(visitor, name, guess).statusCode();
                };
                answers.add(pool.submit(attempt));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(status -> status == 401).as("passwords checked").hasSize(5);
            assertThat(statuses).filteredOn(status -> status == 429).as("refused unchecked").hasSize(15);
        } finally {
            pool.shutdownNow();
        }
        // counted in PostgreSQL until this replica remembered the name as refused: from then on refused without asking
        assertThat((Integer) rows.one("select attempts from console_sign_in_attempts where key = ?", "name:" + name).get("attempts"))
                .isBetween(SignInThrottle.PER_NAME + 1, 20);
        Response refused = ConsoleSignIn.post(ConsoleSignIn.visitor(), name, "guess-20");
        refused.then().statusCode(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 900L);
    }

    private static String appended(long before) throws java.io.IOException {
        byte[] all = Files.readAllBytes(LOG);
        return new String(all, (int) Math.min(before, all.length), (int) Math.max(0, all.length - before), StandardCharsets.UTF_8);
    }
}
