package vn.zalogateway.console.signin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's Quarkus security mechanism: an operator is whoever holds a valid session cookie under
 * {@code /console}: signed by this gateway, not idle or too old, of an operator configured now with the same
 * role and password, and of that operator's current session version in PostgreSQL (sign-out, anywhere, ends
 * it). Without one, a console page answers with a redirect to the sign-in form (and back afterwards).
 * Consumers' API keys are a separate matter ({@code ApiKeyFilter}): this mechanism never looks at {@code /v1}.
 */
@ApplicationScoped
public class ConsoleAuthentication implements HttpAuthenticationMechanism {

    public static final String SIGN_IN = "/console/sign-in";

    private final ConsoleSecurity security;
    private final SessionVersions versions;

    ConsoleAuthentication(ConsoleSecurity security, SessionVersions versions) {
        this.security = security;
        this.versions = versions;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!ConsoleCookies.isConsolePath(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        Cookie cookie = context.request().getCookie(ConsoleSecurity.SESSION_COOKIE);
        Instant now = Instant.now();
        Optional<OperatorSessions.Session> read = security.sessions().read(cookie == null ? null : cookie.getValue(), now);
        Optional<Operators.Operator> operator = read.flatMap(session -> security.operators().find(session.name()).filter(session::of));
        if (operator.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        OperatorSessions.Session session = read.get();
        return versions.current(session.name()).map(version -> {
            if (version == null || version != session.version()) {
                return null; // signed out since, here or on another replica
            }
            security.sessions().refresh(session, now).ifPresent(value -> context.response()
                    .addCookie(ConsoleCookies.session(value, security.secureCookies())));
            return (SecurityIdentity) QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(operator.get().name()))
                    .addRole(operator.get().role()).build();
        }).onFailure().recoverWithItem(failure -> {
            Log.warnf("Console: session of %s not checked, PostgreSQL did not answer: %s", session.name(), failure.toString());
            return null; // not known good: treated as none
        });
    }

    /** A console page sends a stranger to the sign-in form; anything else (an endpoint left unannotated) is a plain 401. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!ConsoleCookies.isConsolePath(context.normalizedPath())) {
            return Uni.createFrom().item(new ChallengeData(401, null, null));
        }
        boolean get = context.request().method().name().equals("GET");
        String location = SIGN_IN + ReturnAddress.afterSignIn(context.request().uri()).filter(back -> get)
                .map(back -> "?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8)).orElse("");
        return Uni.createFrom().item(new ChallengeData(302, "Location", location));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, ConsoleSecurity.SESSION_COOKIE));
    }
}
