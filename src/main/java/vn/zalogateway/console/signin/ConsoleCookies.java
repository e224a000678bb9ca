package vn.zalogateway.console.signin;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;

/** The console's cookies: only under /console, never readable by scripts, never sent from another site. */
public final class ConsoleCookies {

    static final String PATH = "/console";

    private ConsoleCookies() {
    }

    public static Cookie session(String value, boolean secure) {
        return cookie(ConsoleSecurity.SESSION_COOKIE, value, secure);
    }

    /** The session cookie removed (sign-out). */
    public static Cookie sessionEnded(boolean secure) {
        return cookie(ConsoleSecurity.SESSION_COOKIE, "", secure).setMaxAge(0);
    }

    public static Cookie form(String value, boolean secure) {
        return cookie(ConsoleSecurity.FORM_COOKIE, value, secure);
    }

    /**
     * Whether the request path is the console's, path parameters ({@code ;x}) left out as JAX-RS leaves them out
     * when it picks the page: {@code /console;x/messages} is the messages page, and must be treated as such.
     */
    public static boolean isConsolePath(String path) {
        String plain = withoutPathParameters(path);
        return plain != null && (plain.equals(PATH) || plain.startsWith(PATH + "/"));
    }

    static String withoutPathParameters(String path) {
        return path == null || path.indexOf(';') < 0 ? path : path.replaceAll(";[^/]*", "");
    }

    private static Cookie cookie(String name, String value, boolean secure) {
        return Cookie.cookie(name, value).setPath(PATH).setHttpOnly(true).setSecure(secure).setSameSite(CookieSameSite.STRICT);
    }
}
