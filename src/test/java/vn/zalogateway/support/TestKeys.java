package vn.zalogateway.support;

/** Consumer API keys the tests use, and their configured SHA-256 hashes. */
public final class TestKeys {

    public static final String KEY = "test-key";
    public static final String OTHER_KEY = "other-test-key";
    /** The administrators' key of the tests, and its configured hash. */
    public static final String ADMIN_KEY = "test-admin-key";
    public static final String ADMIN_HASHES = "944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9";
    /** gateway.secrets.key of the tests (32 bytes anyone can read: tests only). */
    public static final String SECRETS_KEY = "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";
    /** gateway.secrets.previous-keys of the tests: it opens what it sealed, the current key seals. */
    public static final String PREVIOUS_SECRETS_KEY = "dGVzdC1vbmx5LXByZXZpb3VzLXNlY3JldHMta2V5ISE=";
    public static final String HASHES = "62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef,"
            + "7788d9b851aa8c3a0724215ac27226bcf1276402fe44f9aa4247ffe90b00a689";

    private TestKeys() {
    }

    /** A JSON request from the administrator. */
    public static io.restassured.specification.RequestSpecification admin() {
        return io.restassured.RestAssured.given().auth().oauth2(ADMIN_KEY).contentType(io.restassured.http.ContentType.JSON);
    }

    /** A JSON request with this API key. */
    public static io.restassured.specification.RequestSpecification withKey(String key) {
        return io.restassured.RestAssured.given().auth().oauth2(key).contentType(io.restassured.http.ContentType.JSON);
    }

    /** A JSON request from the consumer holding {@link #KEY}. */
    public static io.restassured.specification.RequestSpecification consumer() {
        return io.restassured.RestAssured.given().auth().oauth2(KEY).contentType(io.restassured.http.ContentType.JSON);
    }
}
