package vn.zalogateway.console.signin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import vn.zalogateway.common.config.GatewayConfig;

/** The console's operators and the key of their sessions, from configuration; a broken operator entry stops the start. */
@ApplicationScoped
@Startup
public class ConsoleSecurity {

    public static final String SESSION_COOKIE = "zg-console-session";
    public static final String FORM_COOKIE = "zg-console-form";
    public static final String FORM_FIELD = "csrf-token";
    public static final String FORM_HEADER = "X-CSRF-Token";

    private final Operators operators;
    private final OperatorSessions sessions;
    private final boolean secureCookies;
    private final ClientAddress clientAddress;

    ConsoleSecurity(GatewayConfig config) {
        GatewayConfig.Console console = config.console();
        this.operators = Operators.of(console.operators().orElse(List.of()));
        this.sessions = new OperatorSessions(key(console, config.secrets()), console.idleTimeout(), console.longestSession());
        this.secureCookies = console.secureCookies();
        this.clientAddress = new ClientAddress(config.webhooks().trustedProxies().orElse(List.of()));
        if (operators.isEmpty()) {
            Log.info("Console: no operators configured (gateway.console.operators), nobody can sign in at /console");
        }
    }

    public Operators operators() {
        return operators;
    }

    public OperatorSessions sessions() {
        return sessions;
    }

    /** Who a sign-in comes from, as the throttle counts it (the ingress controller's X-Forwarded-For believed). */
    public ClientAddress clientAddress() {
        return clientAddress;
    }

    public boolean secureCookies() {
        return secureCookies;
    }

    /** The configured session key; else one derived from the secrets key (a different key for a different use); else random. */
    private static byte[] key(GatewayConfig.Console console, GatewayConfig.Secrets secrets) {
        if (console.sessionKey().isPresent()) {
            return Base64.getDecoder().decode(console.sessionKey().get().trim());
        }
        if (secrets.key().isPresent()) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secrets.key().get().trim()), "HmacSHA256"));
                return mac.doFinal("zalo-gateway console sessions".getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }
        Log.warn("Console: neither gateway.console.session-key nor gateway.secrets.key is set; sessions end when this "
                + "instance stops and are not shared with other replicas");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }
}
