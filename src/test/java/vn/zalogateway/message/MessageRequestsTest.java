package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.journey.TokenType;
import vn.zalogateway.support.Messages;

class MessageRequestsTest {

    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    static ObjectNode body() {
        return Messages.message();
    }

    static NewMessage read(ObjectNode body) {
        return MessageRequests.read(body, VIETNAM, NOW);
    }

    @Test
    void readsTheSeedExampleWithDefaults() throws Exception {
        NewMessage message = read(body());

        assertThat(message.oaId()).isEqualTo(3041812345605770721L);
        assertThat(message.userId()).isEqualTo("5830123456789");
        assertThat(message.templateType()).isEqualTo("transaction_order");
        assertThat(message.sandbox()).isFalse();
        assertThat(message.sendAt()).isNull();
        assertThat(message.ext()).isEqualTo("order-123");
        assertThat(message.journeyId()).isNull();
        assertThat(message.journeyPhone()).isNull();
        assertThat(new ObjectMapper().readTree(message.zaloPayload()).get("elements")).hasSize(5);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-12-01 09:00:00, 2026-12-01T02:00:00Z",
            "2026-12-01T09:00:00+07:00, 2026-12-01T02:00:00Z",
            "2026-12-01T02:00:00Z, 2026-12-01T02:00:00Z" })
    void readsSendAtInBothForms(String sendAt, String instant) {
        ObjectNode body = body();
        body.put("send_at", sendAt);
        assertThat(read(body).sendAt()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource({ "2026-12-01", "01/12/2026 09:00", "2026-12-01T09:00:00", "2028-01-01 00:00:00" })
    void rejectsOtherSendAts(String sendAt) {
        ObjectNode body = body();
        body.put("send_at", sendAt);
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.problem().violations()).extracting(v -> v.field()).containsExactly("send_at"));
    }

    /** A ZNS journey message: its phone normalised, the token type defaulted, the template's data kept as JSON. */
    @Test
    void readsAJourneyMessageThatCreatesItsTokenWithTheDefaultType() throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("""
                {"kind": "zns_journey", "oa_id": "3041812345605770721", "phone": "+84912345678", "template_id": "231456",
                 "template_data": {"order_code": "DH-001", "amount": 250000}, "journey": {}}""");
        NewMessage message = read(body);
        assertThat(message.kind()).isEqualTo(MessageKind.ZNS_JOURNEY);
        assertThat(message.phone()).isEqualTo("84912345678");
        assertThat(message.journeyPhone()).isEqualTo("84912345678");
        assertThat(message.journeyTokenType()).isEqualTo(TokenType.LOGISTICS_7);
        assertThat(message.templateId()).isEqualTo(231456);
        assertThat(message.templateData()).isEqualTo("{\"order_code\":\"DH-001\",\"amount\":250000}");
        assertThat(message.userId()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "journey|{\"phone\": \"0987654321\"}|journey.phone",
            "journey|{\"token_type\": \"token_bus_7\"}|journey.token_type",
            "journey|\"token_logistics_7\"|journey",
            "template_id|0|template_id",
            "template_id|2147483648|template_id",
            "template_id|1.5|template_id",
            "template_data|[]|template_data",
            "template_data|{\"a\": true}|template_data.a",
            "template_data|{\"\": \"x\"}|template_data.",
            "phone|\"+1 555 0100\"|phone",
            "elements|[]|elements",
            "sandbox|true|sandbox" })
    void rejectsWhatAJourneyMessageCannotHave(String field, String json, String violation) throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("""
                {"kind": "zns_journey", "oa_id": "3041812345605770721", "phone": "0912345678", "template_id": 231456,
                 "template_data": {"order_code": "DH-001"}, "journey": {"token_type": "token_logistics_7"}}""");
        body.set(field, new ObjectMapper().readTree(json));
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.problem().violations()).extracting(v -> v.field()).contains(violation));
    }

    @Test
    void theFingerprintIgnoresKeyOrderButNotValues() {
        ObjectNode reordered = new ObjectMapper().createObjectNode();
        body().fields().forEachRemaining(field -> reordered.set(field.getKey(), field.getValue()));
        ObjectNode first = new ObjectMapper().createObjectNode().put("ext", "order-123");
        first.setAll(reordered);

        assertThat(MessageRequests.fingerprint(first)).isEqualTo(MessageRequests.fingerprint(body()));
        ObjectNode changed = body();
        changed.put("ext", "order-124");
        assertThat(MessageRequests.fingerprint(changed)).isNotEqualTo(MessageRequests.fingerprint(body()));
    }

    @Test
    void rejectsBodiesThatAreNotObjects() {
        assertThatThrownBy(() -> MessageRequests.read(new ObjectMapper().createArrayNode(), VIETNAM, NOW))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.problem().violations().get(0).field()).isEqualTo("body"));
        assertThatThrownBy(() -> MessageRequests.read(null, VIETNAM, NOW)).isInstanceOf(ProblemException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "oa_id|\"0123\"", "oa_id|1.5", "oa_id|true", "user_id|\"abc\"", "user_id|[]", "sandbox|\"true\"",
            "ext|42", "journey|\"0912345678\"", "journey_id|\"not-a-uuid\"", "journey|{}", "template_id|1", "kind|\"sms\"" })
    void rejectsWrongValuesField(String field, String json) throws Exception {
        ObjectNode body = body();
        body.set(field, new ObjectMapper().readTree(json));
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.problem().violations()).extracting(v -> v.field()).contains(field));
    }
}
