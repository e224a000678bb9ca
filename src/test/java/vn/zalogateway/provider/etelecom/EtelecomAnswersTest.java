package vn.zalogateway.provider.etelecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.provider.ProviderException;

/** eTelecom's answers read to the letter: what is a created token, a sent message, or a refusal. */
class EtelecomAnswersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static CreateJourneyReply journey(String json) throws Exception {
        return JSON.readValue(json, CreateJourneyReply.class);
    }

    static SendZnsJourneyReply sent(String json) throws Exception {
        return JSON.readValue(json, SendZnsJourneyReply.class);
    }

    @Test
    void anAnswerWithATokenButNoErrorCodeIsACreatedJourney() throws Exception {
        CreatedJourney created = EtelecomClient.toCreatedJourney(journey("""
                {"journey_id": "126052", "journey_token": "jt-1", "status": "Z", "expires_at": "2036-11-30T03:00:00Z"}"""));
        assertThat(created.journeyId()).isEqualTo("126052");
        assertThat(created.expiresAt()).hasToString("2036-11-30T03:00:00Z");

        assertThatThrownBy(() -> EtelecomClient.toCreatedJourney(journey("{\"status\": \"Z\"}")))
                .isInstanceOf(ProviderException.Unavailable.class).hasMessageContaining("without an error_code");
        assertThatThrownBy(() -> EtelecomClient.toCreatedJourney(journey(
                "{\"error_code\": 1, \"error_message\": \"phone not on Zalo\", \"journey_token\": \"jt\"}")))
                .isInstanceOfSatisfying(ProviderException.Refused.class, refused -> assertThat(refused.code()).isEqualTo("1"));
    }

    @Test
    void aSendIsTakenWithItsMsgIdAndFeesOrRefusedWithEtelecomsCode() throws Exception {
        SentZnsJourney taken = EtelecomClient.toSent(sent("""
                {"id": "1", "msg_id": "m-1", "error_code": 0, "is_charged": true, "fee_main": "300", "fee_token": 250.5}"""));
        assertThat(taken.msgId()).isEqualTo("m-1");
        assertThat(taken.feeMain()).isEqualByComparingTo("300");
        assertThat(taken.feeToken()).isEqualByComparingTo("250.5");
        assertThat(taken.charged()).isTrue();
        assertThat(EtelecomClient.toSent(sent("{\"msg_id\": \"m-2\"}")).feeMain()).as("no error_code, a msg_id: sent").isNull();

        assertThatThrownBy(() -> EtelecomClient.toSent(sent("{\"error_code\": 1, \"error_message\": \"template chưa duyệt\"}")))
                .isInstanceOfSatisfying(ProviderException.Refused.class, refused -> {
                    assertThat(refused.code()).isEqualTo("1");
                    assertThat(refused.providerMessage()).isEqualTo("template chưa duyệt");
                });
        assertThatThrownBy(() -> EtelecomClient.toSent(sent("{\"error_code\": 0}")))
                .as("taken without a msg_id: unknown, so the outbox tries again with the same tracking_id")
                .isInstanceOf(ProviderException.Transient.class);
        assertThatThrownBy(() -> EtelecomClient.toSent(sent("{\"msg_id\": \"" + "9".repeat(65) + "\"}")))
                .isInstanceOf(ProviderException.Transient.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "300|300",
            "\"300.25\"|300.25",
            "0|0",
            "-1|",
            "\"lots\"|",
            "1e30|",
            "[1]|",
            "null|" })
    void anOddFeeIsUnknownNeverAFailedSend(String json, String expected) throws Exception {
        JsonNode fee = JSON.readTree(json);
        assertThat(EtelecomClient.fee(fee, "fee_main")).isEqualTo(expected == null ? null
                : new java.math.BigDecimal(expected).setScale(Math.max(new java.math.BigDecimal(expected).scale(), 0)));
    }
}
