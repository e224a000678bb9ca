package vn.zalogateway.console.signin;

import java.time.Duration;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import vn.zalogateway.console.ConsoleRoutes;
import vn.zalogateway.common.FormBody;
import vn.zalogateway.console.Frame;
import vn.zalogateway.console.Frames;

/**
 * Signing operators in and out of the console. Both forms carry the browser's form token: a sign-in forged
 * from another site (into the attacker's account) is refused like any other forged form. The sign-in form,
 * its post and the language switch are open to anyone ({@code @PermitAll}); everything else needs a session.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(Frame frame, boolean failed, boolean expired, String next);
    }

    private final ConsoleSecurity security;
    private final SignIns signIns;
    private final Frames frames;

    SignInResource(ConsoleSecurity security, SignIns signIns, Frames frames) {
        this.security = security;
        this.signIns = signIns;
        this.frames = frames;
    }

    @GET
    @Path("/sign-in")
    @PermitAll
    public TemplateInstance form(@QueryParam("next") String next) {
        return page(frames.signedOut("sign-in"), false, false, next);
    }

    /** The throttle first, then bcrypt on a worker thread (tens of milliseconds on purpose), never on the event loop. */
    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermitAll
    public Uni<Response> signIn(byte[] body, @Context HttpServerRequest request) {
        Frame frame = frames.signedOut("sign-in"); // made here, on the request's thread: the answer is rendered later
        FormBody form = FormBody.read(body);
        if (form == null) {
            return Uni.createFrom().item(Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).build());
        }
        String username = form.get("username");
        String password = form.get("password");
        String next = form.get("next");
        if (!frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).entity(page(frame, false, true, next).render()).build());
        }
        String name = username == null ? "" : username.trim();
        String address = security.clientAddress().of(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.getHeader("X-Forwarded-For"));
        return signIns.signIn(name, password, address).map(outcome -> {
            if (outcome.throttled()) {
                return Response.status(429).header("Retry-After", Long.toString(outcome.retryAfterSeconds()))
                        .entity(page(frame, true, false, next).render()).build();
            }
            if (!outcome.signedIn()) {
                return Response.status(Response.Status.UNAUTHORIZED).header("WWW-Authenticate", "Form realm=\"zalo-gateway console\"")
                        .entity(page(frame, true, false, next).render()).build();
            }
            return Response.seeOther(ReturnAddress.orConsole(ReturnAddress.afterSignIn(next)))
                    .header("Set-Cookie", ConsoleCookies.session(outcome.session(), security.secureCookies()).encode()).build();
        });
    }

    /** Ends every session of the operator, on every replica (a copied cookie too), and drops this browser's cookie. */
    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(byte[] body, @Context SecurityContext identity) {
        FormBody form = FormBody.read(body);
        if (form == null || !frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN)
                    .entity(page(frames.signedOut("sign-in"), false, true, null).render()).build());
        }
        return signIns.signOut(identity.getUserPrincipal().getName()).map(ignored -> Response
                .seeOther(java.net.URI.create(ConsoleAuthentication.SIGN_IN))
                .header("Set-Cookie", ConsoleCookies.sessionEnded(security.secureCookies()).encode()).build());
    }

    /** Switches the console's language (a preference, not an action: a plain link); back to a console page only. */
    @GET
    @Path("/language")
    @PermitAll
    public Response language(@QueryParam("to") String to, @QueryParam("back") String back) {
        String lang = "en".equals(to) ? "en" : "vi";
        Cookie cookie = Cookie.cookie(ConsoleRoutes.LANGUAGE_COOKIE, lang).setPath("/console").setHttpOnly(true)
                .setSecure(security.secureCookies()).setSameSite(io.vertx.core.http.CookieSameSite.LAX)
                .setMaxAge(Duration.ofDays(365).toSeconds());
        return Response.seeOther(ReturnAddress.orConsole(ReturnAddress.of(back))).header("Set-Cookie", cookie.encode()).build();
    }

    private static TemplateInstance page(Frame frame, boolean failed, boolean expired, String next) {
        return Templates.signIn(frame, failed, expired, ReturnAddress.afterSignIn(next).orElse(null)).setLocale(frame.lang());
    }
}
