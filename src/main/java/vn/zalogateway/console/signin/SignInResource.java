package vn.zalogateway.console.signin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import vn.zalogateway.console.Frame;
import vn.zalogateway.console.Frames;
import vn.zalogateway.console.ConsoleRoutes;

/**
 * Signing operators in and out of the console. Both forms carry the browser's form token: a sign-in forged
 * from another site (into the attacker's account) is refused like any other forged form.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(Frame frame, boolean failed, boolean expired, String next);
    }

    private final ConsoleSecurity security;
    private final Frames frames;

    SignInResource(ConsoleSecurity security, Frames frames) {
        this.security = security;
        this.frames = frames;
    }

    @GET
    @Path("/sign-in")
    public TemplateInstance form(@QueryParam("next") String next) {
        return page(false, false, next);
    }

    /** Runs on a worker thread: bcrypt takes tens of milliseconds on purpose. */
    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("csrf-token") String token, @FormParam("next") String next) {
        if (!frames.formTokenValid(token)) {
            return Response.status(Response.Status.FORBIDDEN).entity(page(false, true, next).render()).build();
        }
        String name = username == null ? "" : username.trim();
        String shown = name.replaceAll("[^A-Za-z0-9._@-]", "?");
        Instant now = Instant.now();
        if (!security.attempts().allowed(name, now)) {
            Log.warnf("Console: sign-in of \"%s\" refused unchecked, too many wrong passwords", shown);
            return Response.status(429).header("Retry-After", "900").entity(page(true, false, next).render()).build();
        }
        var operator = security.operators().signIn(name, password);
        if (operator.isEmpty()) {
            security.attempts().failed(name, now);
            Log.infof("Console: sign-in refused for \"%s\"", shown);
            return Response.status(Response.Status.UNAUTHORIZED).header("WWW-Authenticate", "Form realm=\"zalo-gateway console\"")
                    .entity(page(true, false, next).render()).build();
        }
        security.attempts().succeeded(name);
        Log.infof("Console: %s signed in (%s)", operator.get().name(), operator.get().role());
        String value = security.sessions().start(operator.get(), Instant.now());
        return Response.seeOther(URI.create(ConsoleCookies.isSafeReturn(next) ? next : "/console"))
                .header("Set-Cookie", setCookie(ConsoleCookies.session(value, security.secureCookies()))).build();
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam("csrf-token") String token) {
        if (!frames.formTokenValid(token)) {
            return Response.status(Response.Status.FORBIDDEN).entity(page(false, true, null).render()).build();
        }
        return Response.seeOther(URI.create(ConsoleAuthentication.SIGN_IN))
                .header("Set-Cookie", setCookie(ConsoleCookies.sessionEnded(security.secureCookies()))).build();
    }

    /** Switches the console's language (a preference, not an action: a plain link). */
    @GET
    @Path("/language")
    public Response language(@QueryParam("to") String to, @QueryParam("back") String back) {
        String lang = "en".equals(to) ? "en" : "vi";
        Cookie cookie = Cookie.cookie(ConsoleRoutes.LANGUAGE_COOKIE, lang).setPath("/console").setHttpOnly(true)
                .setSecure(security.secureCookies()).setSameSite(io.vertx.core.http.CookieSameSite.LAX)
                .setMaxAge(Duration.ofDays(365).toSeconds());
        String target = back != null && (back.startsWith(ConsoleAuthentication.SIGN_IN) || ConsoleCookies.isSafeReturn(back))
                ? back : "/console";
        return Response.seeOther(URI.create(target)).header("Set-Cookie", setCookie(cookie)).build();
    }

    private TemplateInstance page(boolean failed, boolean expired, String next) {
        Frame frame = frames.of("sign-in");
        return Templates.signIn(new Frame(null, false, frame.lang(), frame.switchUrl(), frame.csrfToken(), "sign-in"), failed, expired,
                ConsoleCookies.isSafeReturn(next) ? next : null).setLocale(frame.lang());
    }

    private static String setCookie(Cookie cookie) {
        return cookie.encode();
    }

}
