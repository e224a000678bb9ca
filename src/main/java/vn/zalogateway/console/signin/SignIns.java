package vn.zalogateway.console.signin;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import vn.zalogateway.common.audit.Audit;

/**
 * Signing operators in and out: the attempt reserved with the throttle first, then bcrypt (on a worker
 * thread: tens of milliseconds on purpose), then a session under the operator's current session version.
 * Signing out bumps that version, which ends every session of the operator on every replica.
 */
@ApplicationScoped
public class SignIns {

    /** How a sign-in ended: a session (its cookie value), a refusal, or a refusal unchecked until {@code retryAfterSeconds}. */
    public record Outcome(Operators.Operator operator, String session, long retryAfterSeconds) {
        static Outcome refused() {
            return new Outcome(null, null, 0);
        }

        public boolean signedIn() {
            return session != null;
        }

        public boolean throttled() {
            return retryAfterSeconds > 0;
        }
    }

    private final ConsoleSecurity security;
    private final SignInThrottle throttle;
    private final SessionVersions versions;
    private final Vertx vertx;

    SignIns(ConsoleSecurity security, SignInThrottle throttle, SessionVersions versions, Vertx vertx) {
        this.security = security;
        this.throttle = throttle;
        this.versions = versions;
        this.vertx = vertx;
    }

    /** {@code address}: the client's, as {@link ClientAddress} reads it. */
    public Uni<Outcome> signIn(String name, String password, String address) {
        String possible = Operators.possibleName(name) ? name : null; // other names cannot be right: counted by address only
        String shown = name.replaceAll("[^A-Za-z0-9._@-]", "?");
        return throttle.reserve(possible, address).chain(verdict -> {
            if (!verdict.allowed()) {
                Log.warnf("Console: sign-in of \"%s\" from %s refused unchecked, too many wrong passwords", abbreviated(shown), address);
                return Uni.createFrom().item(new Outcome(null, null, verdict.retryAfterSeconds()));
            }
            Uni<Optional<Operators.Operator>> checked = possible == null ? Uni.createFrom().item(Optional.empty())
                    : vertx.executeBlocking(() -> security.operators().signIn(possible, password), false);
            return checked.chain(operator -> {
                if (operator.isEmpty()) {
                    Log.infof("Console: sign-in refused for \"%s\" from %s", abbreviated(shown), address);
                    return Uni.createFrom().item(Outcome.refused());
                }
                return throttle.succeeded(possible, address).chain(() -> versions.signedIn(operator.get())).map(version -> {
                    Audit.record("operator:" + operator.get().name(), "operator.signed_in", "console");
                    return new Outcome(operator.get(), security.sessions().start(operator.get(), version, Instant.now()), 0);
                });
            });
        });
    }

    /** Ends every session of the operator, here and on every other replica. */
    public Uni<Void> signOut(String name) {
        return versions.end(name).invoke(() -> Audit.record("operator:" + name, "operator.signed_out", "console"));
    }

    private static String abbreviated(String shown) {
        return shown.length() > 80 ? shown.substring(0, 80) + "…" : shown;
    }
}
