package vn.zalogateway.console;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import vn.zalogateway.console.signin.ConsoleCookies;
import vn.zalogateway.console.signin.ConsoleSecurity;

/**
 * What every console response gets before a page runs: the browser's form-token cookie (made on its first
 * visit, so that even the sign-in form carries a token), headers that keep pages out of frames, caches and
 * other sites' scripts, and {@code Server-Timing} with the server's time for the page.
 */
@ApplicationScoped
public class ConsoleRoutes {

    public static final String FORM_VALUE = "zalo-gateway.console.form";
    public static final String LANGUAGE_COOKIE = "zg-console-lang";
    /** Images: the console's own and https ones (a card's banner and icons); never http:, which anyone on the way could swap. */
    static final String POLICY = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    void install(@Observes Router router, ConsoleSecurity security) {
        // Every path, then the console's picked out as the security check and JAX-RS see them: /console;x/messages too.
        router.route().order(-1000).handler(context -> prepare(context, security));
    }

    private static void prepare(RoutingContext context, ConsoleSecurity security) {
        if (!ConsoleCookies.isConsolePath(context.normalizedPath())) {
            context.next();
            return;
        }
        long start = System.nanoTime();
        Cookie form = context.request().getCookie(ConsoleSecurity.FORM_COOKIE);
        String value = form == null || form.getValue().isEmpty() ? null : form.getValue();
        if (value == null) {
            value = security.sessions().newBrowserValue();
            context.response().addCookie(ConsoleCookies.form(value, security.secureCookies()));
        }
        context.put(FORM_VALUE, value);
        context.addHeadersEndHandler(ignored -> {
            var headers = context.response().headers();
            headers.set("Content-Security-Policy", POLICY);
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "same-origin");
            headers.set("Cache-Control", "no-store");
            headers.set("Server-Timing", String.format(Locale.ROOT, "app;dur=%.1f", (System.nanoTime() - start) / 1e6));
        });
        context.next();
    }
}
