package vn.zalogateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.console.signin.Operators;

/** The {@link Frame} of the request being answered: its operator, language and form token. */
@ApplicationScoped
public class Frames {

    private final CurrentVertxRequest request;
    private final SecurityIdentity identity;
    private final ConsoleSecurity security;

    Frames(CurrentVertxRequest request, SecurityIdentity identity, ConsoleSecurity security) {
        this.request = request;
        this.identity = identity;
        this.security = security;
    }

    /** The frame of a page behind sign-in: the identity is known by then (the resource is {@code @Authenticated}). */
    public Frame of(String section) {
        boolean signedIn = identity != null && !identity.isAnonymous();
        return frame(signedIn ? identity.getPrincipal().getName() : null, signedIn && identity.hasRole(Operators.ADMIN), section);
    }

    /** Who is signed in, for an audit line: asked only on pages behind sign-in. */
    public String operator() {
        return identity.getPrincipal().getName();
    }

    /** The frame of a page anyone may open (the sign-in form): it never asks who is signed in. */
    public Frame signedOut(String section) {
        return frame(null, false, section);
    }

    private Frame frame(String operator, boolean admin, String section) {
        RoutingContext context = request.getCurrent();
        String lang = language(context);
        String back = URLEncoder.encode(context.request().uri(), StandardCharsets.UTF_8);
        String other = lang.equals("en") ? "vi" : "en";
        return new Frame(operator, admin, lang, "/console/language?to=" + other + "&back=" + back, formToken(), section);
    }

    /** The form token of this browser (see {@link ConsoleRoutes}). */
    public String formToken() {
        return security.sessions().formToken(request.getCurrent().get(ConsoleRoutes.FORM_VALUE));
    }

    /** Whether a submitted form token is this browser's: a form from another site cannot have it. */
    public boolean formTokenValid(String submitted) {
        return security.sessions().formTokenMatches(request.getCurrent().get(ConsoleRoutes.FORM_VALUE), submitted);
    }

    /** Vietnamese unless the operator chose English. */
    public static String language(RoutingContext context) {
        Cookie cookie = context.request().getCookie(ConsoleRoutes.LANGUAGE_COOKIE);
        return cookie != null && "en".equals(cookie.getValue()) ? "en" : "vi";
    }

    public String language() {
        return language(request.getCurrent());
    }
}
