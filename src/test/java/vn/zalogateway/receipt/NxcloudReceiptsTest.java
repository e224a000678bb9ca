package vn.zalogateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import vn.zalogateway.support.Seeds;

class NxcloudReceiptsTest {

    @Test
    void readsTheSeedSuccessBody() {
        ParsedReceipt receipt = NxcloudReceipts.parse(Seeds.nxcloud("success"));
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.SUCCESS);
        assertThat(receipt.code()).isZero();
        assertThat(receipt.requestId()).isEqualTo("zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5");
        assertThat(receipt.sentAt()).isEqualTo(Instant.parse("2024-05-01T02:12:39Z"));
        assertThat(receipt.costCurrency()).isEqualTo("USD");
        assertThat(receipt.costAmount()).isEqualByComparingTo(new BigDecimal("4.1234"));
        assertThat(receipt.remainingQuota()).isEqualTo(4999);
        assertThat(receipt.dailyQuota()).isEqualTo(5000);
        assertThat(receipt.ext()).isEqualTo("ext info");
    }

    @Test
    void readsTheJourneyBodiesIncludingOneWithoutARequestId() {
        ParsedReceipt acknowledged = NxcloudReceipts.parse(Seeds.nxcloud("journey_acknowledged"));
        assertThat(acknowledged.status()).isEqualTo(ReceiptStatus.JOURNEY_ACKNOWLEDGED);
        assertThat(acknowledged.journeyId()).isEqualTo("126052xxxx58967296");
        assertThat(acknowledged.costAmount()).isEqualByComparingTo("130");
        assertThat(acknowledged.timestamp()).isEqualTo(1720602861913L);

        ParsedReceipt timedOut = NxcloudReceipts.parse(Seeds.nxcloud("journey_time_out"));
        assertThat(timedOut.requestId()).isNull();
        assertThat(timedOut.code()).isEqualTo(17007);
        assertThat(timedOut.naturalKey()).isNotEqualTo(acknowledged.naturalKey());
    }

    @Test
    void readsNumbersWrittenAsStrings() {
        ParsedReceipt receipt = NxcloudReceipts.parse("""
                {"status": "delivered", "requestId": "r1", "code": "17003", "cost": {"currency": "USD", "originalPrice": "0.5"}}""");
        assertThat(receipt.code()).isEqualTo(17003);
        assertThat(receipt.costAmount()).isEqualByComparingTo("0.5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-05-01 10:12:39|2024-05-01T02:12:39Z",
            "2024-01-01 07:59:59|2023-12-31T23:59:59Z",
            "2024-02-29 23:00:00|2024-02-29T15:00:00Z",
            "2025-02-29 10:00:00|",
            "2024-04-31 10:00:00|",
            "2024-13-01 10:00:00|",
            "2024-05-01 24:00:00|",
            "2024-05-01 10:60:00|",
            "2024-05-01T10:12:39|",
            "2024-05-01 10:12:3x|",
            "2024-5-01 10:12:39 |",
            "+024-05-01 10:12:39|",
            "2024-05-01 10:12:39.5|" })
    void readsSendTimeAsChinaTimeAndOnlyRealTimes(String sendTime, String instant) {
        assertThat(NxcloudReceipts.readSendTime(sendTime)).isEqualTo(instant == null ? null : Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|body",
            "[]|body",
            "{\"status\": \"read\", \"requestId\": \"r\"}|status",
            "{\"requestId\": \"r\"}|status",
            "{\"status\": \"success\"}|requestId",
            "{\"status\": \"journey_time_out\"}|journeyId",
            "{\"status\": \"progress\", \"requestId\": \"r\"}|status",
            "{\"status\": \"success\", \"requestId\": {\"id\": 1}}|requestId" })
    void refusesOnlyWhatIdentifiesAReceiptOrMovesAState(String body, String field) {
        assertThatThrownBy(() -> NxcloudReceipts.parse(body)).isInstanceOfSatisfying(UnreadableReceipt.class,
                unreadable -> assertThat(unreadable.violations()).extracting(v -> v.field()).contains(field));
    }

    /** An optional field in an odd shape costs the receipt nothing but that field: the status still counts. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"code\": \"zero\"|code",
            "\"sendTime\": \"2024/05/01 10:12\"|sendTime",
            "\"cost\": 3|cost",
            "\"cost\": {\"currency\": \"VND\", \"originalPrice\": \"lots\"}|cost.originalPrice",
            "\"zaloRes\": {\"data\": {\"quota\": {\"remainingQuota\": \"\", \"dailyQuota\": \"5000\"}}}|zaloRes.data.quota.remainingQuota",
            "\"timestamp\": \"soon\"|timestamp",
            "\"zaloRes\": \"ok\"|zaloRes",
            "\"appId\": [1]|appId" })
    void keepsTheStatusWhenAnOptionalFieldIsOdd(String field, String name) {
        String body = "{\"status\": \"delivered\", \"requestId\": \"r-1\", " + field + "}";
        ParsedReceipt receipt = NxcloudReceipts.parse(body);
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(receipt.requestId()).isEqualTo("r-1");
        assertThat(receipt.unreadable()).singleElement().asString().startsWith(name + " ");
        assertThat(receipt.naturalKey()).as("only the same bytes are the same odd receipt").endsWith(vn.zalogateway.common.Sha256.hex(body));
    }

    @Test
    void keepsWhatZaloAnsweredAndTheJourneyReceiptsOwnFields() {
        ParsedReceipt failed = NxcloudReceipts.parse("""
                {"status": "failed", "requestId": "zalomid.68d9", "code": 17004, "message": "Zalo send error",
                 "sendTime": "2024-10-30 10:34:40",
                 "zaloRes": {"sysMsg": "Zalo send error(Zalo account not existed)", "cusMsg": "Tài khoản không tồn tại",
                             "error": -118, "message": "Zalo account not existed", "data": null}}""");
        assertThat(failed.zalo()).isEqualTo(new ParsedReceipt.ZaloAnswer(-118, "Zalo account not existed",
                "Zalo send error(Zalo account not existed)", "Tài khoản không tồn tại", null, null, null));
        assertThat(failed.unreadable()).isEmpty();

        ParsedReceipt success = NxcloudReceipts.parse("""
                {"status": "success", "requestId": "zalomid.a941", "code": 0,
                 "zaloRes": {"error": "0", "data": {"sent_time": "1714529559833", "sending_mode": "1", "msg_id": "5c4ee6a"}}}""");
        assertThat(success.zalo().msgId()).isEqualTo("5c4ee6a");
        assertThat(success.zalo().sentAt()).isEqualTo(Instant.ofEpochMilli(1714529559833L));
        assertThat(success.zalo().sendingMode()).isEqualTo("1");
        assertThat(success.zalo().error()).isZero();

        ParsedReceipt acknowledged = NxcloudReceipts.parse("""
                {"status": "journey_acknowledged", "requestId": "zalomid.a941", "code": 17006, "journeyId": "126052",
                 "appId": "33101000080048", "timestamp": "1720602861913"}""");
        assertThat(acknowledged.appId()).isEqualTo("33101000080048");
        assertThat(acknowledged.providerTime()).isEqualTo(Instant.ofEpochMilli(1720602861913L));
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{\"status\": \"success\", \"requestId\": \"r\", \"ext\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> NxcloudReceipts.parse(deep)).isInstanceOf(UnreadableReceipt.class);
    }
}
