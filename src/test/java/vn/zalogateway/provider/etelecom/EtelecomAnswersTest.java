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


    @Test
    void anAnswerWithATokenButNoErrorCodeIsACreatedJourney() throws Exception {
        CreatedJourney created = EtelecomClient.createdJourney(("""
                {"journey_id": "126052", "journey_token": "jt-1", "status": "Z", "expires_at": "2036-11-30T03:00:00Z"}"""));
        assertThat(created.journeyId()).isEqualTo("126052");
        assertThat(created.expiresAt()).hasToString("2036-11-30T03:00:00Z");

        assertThatThrownBy(() -> EtelecomClient.createdJourney(("{\"status\": \"Z\"}")))
                .isInstanceOf(ProviderException.Unavailable.class).hasMessageContaining("without an error_code");
        assertThatThrownBy(() -> EtelecomClient.createdJourney((
                "{\"error_code\": 1, \"error_message\": \"phone not on Zalo\", \"journey_token\": \"jt\"}")))
                .isInstanceOfSatisfying(ProviderException.Refused.class, refused -> assertThat(refused.code()).isEqualTo("1"));
    }

    @Test
    void aSendIsTakenWithItsMsgIdAndFeesOrRefusedWithEtelecomsCode() throws Exception {
        SentZnsJourney taken = EtelecomClient.sent(("""
                {"id": "1", "msg_id": "m-1", "error_code": 0, "is_charged": true, "fee_main": "300", "fee_token": 250.5}"""));
        assertThat(taken.msgId()).isEqualTo("m-1");
        assertThat(taken.feeMain()).isEqualByComparingTo("300");
        assertThat(taken.feeToken()).isEqualByComparingTo("250.5");
        assertThat(taken.charged()).isTrue();
        assertThat(EtelecomClient.sent(("{\"msg_id\": \"m-2\"}")).feeMain()).as("no error_code, a msg_id: sent").isNull();

        assertThatThrownBy(() -> EtelecomClient.sent(("{\"error_code\": 1, \"error_message\": \"template chưa duyệt\"}")))
                .isInstanceOfSatisfying(ProviderException.Refused.class, refused -> {
                    assertThat(refused.code()).isEqualTo("1");
                    assertThat(refused.providerMessage()).isEqualTo("template chưa duyệt");
                });
        assertThatThrownBy(() -> EtelecomClient.sent(("{\"error_code\": 0}")))
                .as("taken without a msg_id: it may have been sent, never sent again")
                .isInstanceOfSatisfying(ProviderException.Transient.class, unknown -> {
                    assertThat(unknown.mayHaveArrived()).isTrue();
                    assertThat(unknown.answer()).isEqualTo("{\"error_code\": 0}");
                });
        assertThatThrownBy(() -> EtelecomClient.sent(("{\"msg_id\": \"" + "9".repeat(65) + "\"}")))
                .isInstanceOf(ProviderException.Transient.class);
    }

    /** eTelecom's values bounded before they are kept: one too long fails the attempt, saying which, with the raw answer. */
    @Test
    void aValueTooLongToKeepFailsTheAttemptAndKeepsTheAnswer() {
        String answer = """
                {"id": "%s", "journey_id": "126052", "journey_token": "jt-1", "status": "ZZZZZZZZZ", "error_code": 0}"""
                .formatted("9".repeat(65));
        assertThatThrownBy(() -> EtelecomClient.createdJourney(answer))
                .isInstanceOfSatisfying(ProviderException.Unavailable.class, unusable -> {
                    assertThat(unusable.getMessage()).contains("id of 65 characters (at most 64)")
                            .contains("status of 9 characters (at most 8)");
                    assertThat(unusable.mayHaveArrived()).as("eTelecom may have made the token").isTrue();
                    assertThat(unusable.answer()).isEqualTo(answer);
                });
        assertThatThrownBy(() -> EtelecomClient.createdJourney("not json")).isInstanceOfSatisfying(ProviderException.Unavailable.class,
                unreadable -> assertThat(unreadable.answer()).isEqualTo("not json"));
    }

    /** What the seed's answer says besides the token is kept: eTelecom's own times and the phone. */
    @Test
    void theSeedsTimesAndPhoneAreKept() {
        CreatedJourney created = EtelecomClient.createdJourney("""
                {"created_at": "2024-11-23T03:00:00Z", "updated_at": "2024-11-23T03:00:01Z", "error_code": 0,
                 "expired_at": "2024-11-30T03:00:00Z", "id": "1155112233445566778", "is_charged": false,
                 "journey_id": "1260521234558967296", "journey_token": "jt", "phone": "84912345678", "status": "Z"}""");
        assertThat(created.createdAt()).hasToString("2024-11-23T03:00:00Z");
        assertThat(created.updatedAt()).hasToString("2024-11-23T03:00:01Z");
        assertThat(created.phone()).isEqualTo("84912345678");
        assertThat(created.providerId()).isEqualTo("1155112233445566778");
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
