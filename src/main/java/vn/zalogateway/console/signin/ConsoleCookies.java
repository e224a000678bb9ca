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

    static boolean isConsolePath(String path) {
        return path != null && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    /** Where sign-in may send an operator back to: a console page of this server, never another site. */
    public static boolean isSafeReturn(String target) {
        return target != null && isConsolePath(target.split("[?#]", 2)[0]) && !target.contains("\\") && !target.contains("//")
                && !target.startsWith(ConsoleAuthentication.SIGN_IN);
    }

    private static Cookie cookie(String name, String value, boolean secure) {
        return Cookie.cookie(name, value).setPath(PATH).setHttpOnly(true).setSecure(secure).setSameSite(CookieSameSite.STRICT);
    }
}
