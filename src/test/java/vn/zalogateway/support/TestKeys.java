package vn.zalogateway.support;

/** Consumer API keys the tests use, and their configured SHA-256 hashes. */
public final class TestKeys {

    public static final String KEY = "test-key";
    public static final String OTHER_KEY = "other-test-key";
    public static final String HASHES = "62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef,"
            + "7788d9b851aa8c3a0724215ac27226bcf1276402fe44f9aa4247ffe90b00a689";

    private TestKeys() {
    }

    /** A JSON request from the consumer holding {@link #KEY}. */
    public static io.restassured.specification.RequestSpecification consumer() {
        return io.restassured.RestAssured.given().auth().oauth2(KEY).contentType(io.restassured.http.ContentType.JSON);
    }
}
