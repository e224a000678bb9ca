package vn.zalogateway.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Signs a test operator in through the console's own form, as a browser would: the form's token, then the post. */
public final class ConsoleSignIn {

    public static final String ADMIN = "ops-admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String VIEWER = "ops-viewer";
    public static final String VIEWER_PASSWORD = "test-viewer-password";
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    /** A browser's cookies and the form token that goes with them. */
    public record Browser(Map<String, String> cookies, String token) {
        public RequestSpecification request() {
            return given().redirects().follow(false).cookies(cookies);
        }
    }

    private ConsoleSignIn() {
    }

    /** A browser that has opened the sign-in form (it has the form cookie and token, no session). */
    public static Browser visitor() {
        Response form = given().redirects().follow(false).get("/console/sign-in");
        return new Browser(Map.copyOf(form.getCookies()), token(form.asString()));
    }

    public static Response post(Browser browser, String username, String password) {
        return browser.request().contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", password).formParam("csrf-token", browser.token())
                .post("/console/sign-in");
    }

    /** A browser with a session of that operator. */
    public static Browser as(String username, String password) {
        Browser visitor = visitor();
        Response signedIn = post(visitor, username, password);
        if (signedIn.statusCode() != 303) {
            throw new AssertionError("sign-in of " + username + " answered " + signedIn.statusCode());
        }
        var cookies = new java.util.HashMap<>(visitor.cookies());
        cookies.putAll(signedIn.getCookies());
        return new Browser(Map.copyOf(cookies), visitor.token());
    }

    public static String token(String html) {
        Matcher matcher = TOKEN.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no form token in the page");
        }
        return matcher.group(1);
    }
}
