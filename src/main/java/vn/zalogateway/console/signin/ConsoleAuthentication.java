package vn.zalogateway.console.signin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

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
 * {@code /console}; without one, a page answers with a redirect to the sign-in form (and back afterwards).
 * Consumers' API keys are a separate matter ({@code ApiKeyFilter}): this mechanism never looks at {@code /v1}.
 */
@ApplicationScoped
public class ConsoleAuthentication implements HttpAuthenticationMechanism {

    public static final String SIGN_IN = "/console/sign-in";

    private final ConsoleSecurity security;

    ConsoleAuthentication(ConsoleSecurity security) {
        this.security = security;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!ConsoleCookies.isConsolePath(context.normalizedPath())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        Cookie cookie = context.request().getCookie(ConsoleSecurity.SESSION_COOKIE);
        Instant now = Instant.now();
        Optional<SecurityIdentity> identity = security.sessions().read(cookie == null ? null : cookie.getValue(), now)
                .flatMap(session -> security.operators().find(session.name())
                        .filter(operator -> operator.role().equals(session.role()))
                        .map(operator -> {
                            security.sessions().refresh(session, now).ifPresent(value -> context.response()
                                    .addCookie(ConsoleCookies.session(value, security.secureCookies())));
                            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(operator.name()))
                                    .addRole(operator.role()).build();
                        }));
        return Uni.createFrom().optional(identity);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String back = context.request().uri();
        String location = SIGN_IN + (ConsoleCookies.isSafeReturn(back) && context.request().method().name().equals("GET")
                ? "?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8) : "");
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
