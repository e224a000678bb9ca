package vn.zalogateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.restassured.response.Response;

/**
 * Messages as a consumer sends them through the API: the seed's transaction message, ZNS journey messages, and
 * waiting until one has a status.
 */
public final class Messages {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String OA_ID = "3041812345605770721";
    public static final String USER_ID = "5830123456789";
    /** The built-in consumer of the configured test keys. */
    public static final String DEFAULT_CONSUMER = "00000000-0000-7000-8000-000000000001";
    /** How long a message may take to reach a status. */
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private Messages() {
    }

    /** The seed's own transaction_order template, addressed to a user. */
    public static ObjectNode message() {
        try (InputStream seed = Messages.class.getResourceAsStream("/templates/seed-transaction-order.json")) {
            ObjectNode body = (ObjectNode) JSON.readTree(seed);
            body.put("oa_id", OA_ID).put("user_id", USER_ID).put("ext", "order-123");
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract's ZNS journey message: a template and its parameters, with a token to create for the phone. */
    public static ObjectNode journeyMessage() {
        ObjectNode body = JSON.createObjectNode()
                .put("kind", "zns_journey").put("oa_id", OA_ID).put("phone", "0912345678").put("template_id", 231456)
                .put("ext", "order-123");
        body.putObject("template_data").put("order_code", "DH-001").put("status", "Đang giao").put("weight_kg", 2.5);
        body.putObject("journey").put("token_type", "token_logistics_7");
        return body;
    }

    /** The same journey's next message: it rides on the journey's token. */
    public static ObjectNode nextMessage(String journeyId, String status) {
        ObjectNode body = journeyMessage();
        body.remove("journey");
        body.put("journey_id", journeyId);
        ((ObjectNode) body.get("template_data")).put("status", status);
        return body;
    }

    /** A journey message of this OA on that journey. */
    public static ObjectNode nextMessageFor(String journeyId, String oaId) {
        return nextMessage(journeyId, "x").put("oa_id", oaId);
    }

    /** send_at as the providers write it, that long from now. */
    public static String inVietnam(Duration later) {
        return LocalDateTime.now(ZoneId.of("Asia/Ho_Chi_Minh")).plus(later).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    /** Sends the message as the consumer holding {@link TestKeys#KEY}: its id, once accepted (202). */
    public static String send(ObjectNode body) {
        return TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(202).extract().path("id");
    }

    public static Response awaitStatus(String id, String status) {
        return awaitStatus(id, TestKeys.KEY, status);
    }

    /** The message as the consumer holding {@code apiKey} reads it, once it has this status (within {@link #PATIENCE}). */
    public static Response awaitStatus(String id, String apiKey, String status) {
        AtomicReference<Response> last = new AtomicReference<>();
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Response read = TestKeys.withKey(apiKey).get("/v1/messages/" + id);
            last.set(read);
            assertThat(read.<String>path("status")).as("message %s: %s", id, read.asString()).isEqualTo(status);
        });
        return last.get();
    }

    /** The RequestId of a request eSMS received. */
    public static String requestId(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString()).get("RequestId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
