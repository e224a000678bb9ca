package vn.zalogateway.support;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.path.json.JsonPath;

/** Consumers made through the admin API, as an administrator would: each test's own, by a fresh name. */
public final class Consumers {

    /** A consumer the admin API made: its id and, in clear, its first key and callback secret. */
    public record Made(String id, String name, String apiKey, String keyId, String callbackSecret) {
    }

    private Consumers() {
    }

    /** A consumer allowed these OAs ("*" for all), with a callback URL when one is given. */
    public static Made make(String prefix, List<String> oaIds, String callbackUrl) {
        String name = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        StringBuilder body = new StringBuilder("{\"name\": \"" + name + "\", \"oa_ids\": [");
        body.append(String.join(", ", oaIds.stream().map(oa -> "\"" + oa + "\"").toList())).append(']');
        if (callbackUrl != null) {
            body.append(", \"callback_url\": \"").append(callbackUrl).append('"');
        }
        JsonPath made = TestKeys.admin().body(body.append('}').toString()).post("/v1/admin/consumers")
                .then().statusCode(201).extract().jsonPath();
        return new Made(made.getString("id"), name, made.getString("api_key"), made.getString("key_id"),
                made.getString("callback_secret"));
    }
}
