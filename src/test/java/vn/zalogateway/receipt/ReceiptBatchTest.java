package vn.zalogateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import vn.zalogateway.journey.JourneyLifecycle;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.ledger.Charge;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.QuotaReading;
import vn.zalogateway.message.MessageKind;
import vn.zalogateway.message.MessageLifecycle;
import vn.zalogateway.message.MessageStatus;

class ReceiptBatchTest {

    static final UUID A = UUID.fromString("0190a0a0-0000-7000-8000-00000000000a");
    static final UUID B = UUID.fromString("0190a0a0-0000-7000-8000-00000000000b");
    static final UUID J = UUID.fromString("0190a0a0-0000-7000-8000-0000000000aa");
    static final UUID CONSUMER = UUID.fromString("00000000-0000-7000-8000-000000000001");
    static final long OA = 3041812345605770721L;

    /** NXCloud's receipt; one that names our message id is eSMS's callback (only eSMS echoes our RequestId). */
    static ReceiptBatch.Incoming receipt(ReceiptStatus status, String smsId, UUID messageId, Integer code, long timestamp) {
        return new ReceiptBatch.Incoming(messageId == null ? "nxcloud" : "esms", new ParsedReceipt(status, code, code == null || code == 0 ? "ok" : null, smsId,
                null, null, null, null, timestamp, null, null, null, null, null, messageId, null, List.of(), null), "{}");
    }

    static ReceiptBatch.Incoming receipt(ReceiptStatus status, String smsId, long timestamp) {
        return receipt(status, smsId, null, 0, timestamp);
    }

    /** NXCloud's success as the seed shows it: a cost, and the quota in zaloRes (no oaId). */
    static ReceiptBatch.Incoming costed(String provider, String smsId, String currency, String amount, Integer remaining) {
        ParsedReceipt.ZaloAnswer zalo = new ParsedReceipt.ZaloAnswer(0, "Success", null, null, "zalo-" + smsId,
                Instant.ofEpochMilli(1714529559833L), "1");
        return new ReceiptBatch.Incoming(provider, new ParsedReceipt(ReceiptStatus.SUCCESS, 0, "Successfully sent.", smsId, null, null,
                null, null, null, currency, new BigDecimal(amount), remaining, remaining == null ? null : 5000, null, null, zalo,
                List.of(), null), "{}");
    }

    static ReceiptBatch.Incoming journeyReceipt(ReceiptStatus status, String journeyId, String amount) {
        return new ReceiptBatch.Incoming("nxcloud", new ParsedReceipt(status, 17006, "charged", null, journeyId, "3041812345605770721",
                "3310", null, 1720602861913L, amount == null ? null : "EUR", amount == null ? null : new BigDecimal(amount), null, null,
                null, null, null, List.of(), null), "{}");
    }

    static MessageLifecycle.Locked message(UUID id, MessageStatus status, String reference) {
        return new MessageLifecycle.Locked(id, MessageKind.TRANSACTION, status, reference, null, null, CONSUMER, OA, null);
    }

    static Set<String> all(ReceiptBatch batch) {
        return batch.keys();
    }

    /** A move by what a test looks at: the message, its status after, and the provider reference it learned. */
    record Seen(UUID id, MessageStatus status, String learnedReference) {
    }

    static List<Seen> seen(List<MessageLifecycle.Move> moves) {
        return moves.stream().map(move -> new Seen(move.id(), move.status(), move.learnedReference())).toList();
    }

    @Test
    void aReceiptRepeatedWithinTheBatchIsStoredOnce() {
        ReceiptBatch.Incoming success = receipt(ReceiptStatus.SUCCESS, "sms-a", 1);
        ReceiptBatch batch = new ReceiptBatch(List.of(success, receipt(ReceiptStatus.DELIVERED, "sms-a", 2), success));
        assertThat(batch.distinct()).hasSize(2);
        assertThat(batch.duplicates(all(batch))).containsExactly(success);
        assertThat(batch.references()).containsExactly("sms-a");
    }

    @Test
    void twoReceiptsOfOneMessageAreAppliedInTheOrderTheyCameAndForwardOnly() {
        ReceiptBatch inOrder = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1), receipt(ReceiptStatus.DELIVERED, "sms-a", 2)));
        inOrder.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(seen(inOrder.messageMoves(all(inOrder)))).containsExactly(new Seen(A, MessageStatus.DELIVERED, null));

        ReceiptBatch reversed = new ReceiptBatch(List.of(receipt(ReceiptStatus.DELIVERED, "sms-a", 2), receipt(ReceiptStatus.SUCCESS, "sms-a", 1)));
        reversed.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(seen(reversed.messageMoves(all(reversed)))).containsExactly(new Seen(A, MessageStatus.DELIVERED, null));
    }

    @Test
    void aFailureKeepsItsCodeAndAFinalMessageDoesNotMove() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.FAILED, "sms-a", null, 17004, 1),
                receipt(ReceiptStatus.SUCCESS, "sms-b", 2)));
        batch.match(List.of(message(A, MessageStatus.SENT, "sms-a"), message(B, MessageStatus.DELIVERED, "sms-b")), List.of());
        List<MessageLifecycle.Move> moves = batch.messageMoves(all(batch));
        assertThat(moves).hasSize(1);
        assertThat(moves.get(0).id()).isEqualTo(A);
        assertThat(moves.get(0).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(moves.get(0).zaloError().code()).isEqualTo("17004");
        assertThat(moves.get(0).zaloError().message()).isNotBlank();
    }

    @Test
    void aReceiptStoredBeforeMovesNothing() {
        ReceiptBatch.Incoming delivered = receipt(ReceiptStatus.DELIVERED, "sms-a", 2);
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1), delivered));
        batch.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        Set<String> onlySuccessIsNew = Set.of(batch.distinct().get(0).key());
        assertThat(seen(batch.messageMoves(onlySuccessIsNew))).containsExactly(new Seen(A, MessageStatus.SENT, null));
        assertThat(batch.duplicates(onlySuccessIsNew)).containsExactly(delivered);
    }

    @Test
    void aMessageWithoutReferenceLearnsItFromTheFirstReceiptNamingItAndLaterReceiptsFindIt() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-new", A, 0, 1),
                receipt(ReceiptStatus.DELIVERED, "sms-new", 2), receipt(ReceiptStatus.SUCCESS, "sms-other", A, 0, 3)));
        assertThat(batch.messageIds()).containsExactly(A);
        batch.match(List.of(message(A, MessageStatus.SUBMITTED, null)), List.of());
        assertThat(batch.messageRef(0)).isEqualTo(A);
        assertThat(batch.messageRef(1)).isEqualTo(A);
        assertThat(batch.messageRef(2)).isEqualTo(A);
        assertThat(batch.learnedReference()).isTrue();
        assertThat(seen(batch.messageMoves(all(batch)))).containsExactly(new Seen(A, MessageStatus.DELIVERED, "sms-new"));
    }

    @Test
    void anUnknownMessageIdFallsBackToTheReferenceAndAnUnknownReferenceWaitsUnmatched() {
        UUID unknown = UUID.fromString("0190a0a0-0000-7000-8000-0000000000ff");
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", unknown, 0, 1),
                receipt(ReceiptStatus.SUCCESS, "sms-unknown", 2)));
        batch.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(batch.messageRef(0)).isEqualTo(A);
        assertThat(batch.messageRef(1)).isNull();
        assertThat(batch.unmatched(all(batch))).isOne();
        assertThat(batch.learnedReference()).isFalse();
    }

    @Test
    void twoMessagesSharingAReferenceGiveItToTheLowestId() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1)));
        batch.match(List.of(message(B, MessageStatus.SUBMITTED, "sms-a"), message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(batch.messageRef(0)).isEqualTo(A);
    }

    @Test
    void aReceiptsCostIsItsMessagesChargeOfRecordOnlyFromTheProviderThatSentIt() {
        ReceiptBatch batch = new ReceiptBatch(List.of(costed("nxcloud", "sms-a", "USD", "4.1234", 4999),
                costed("esms", "sms-b", "VND", "300", null)));
        batch.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a"), message(B, MessageStatus.SUBMITTED, "sms-b")), List.of());
        assertThat(batch.charges(all(batch))).containsExactly(
                new Charge(CONSUMER, OA, A, ChargeItem.MESSAGE, A, "nxcloud", Charge.Source.RECEIPT, "USD", new BigDecimal("4.1234"), false),
                new Charge(CONSUMER, OA, B, ChargeItem.MESSAGE, B, "esms", Charge.Source.RECEIPT, "VND", new BigDecimal("300"), true));
    }

    @Test
    void aReceiptWithoutOaIdTellsTheQuotaOfItsMessagesOa() {
        ReceiptBatch batch = new ReceiptBatch(List.of(costed("nxcloud", "sms-a", "USD", "4.1234", 4999),
                costed("nxcloud", "sms-unknown", "USD", "4.1234", 4998)));
        batch.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(batch.quotas(all(batch), Instant.EPOCH)).as("only a matched receipt knows its OA").containsExactly(
                new QuotaReading(OA, 4999, 5000, Instant.ofEpochMilli(1714529559833L), QuotaReading.Source.RECEIPT));
    }

    /** NXCloud quotes its own requestId: the message is found by Zalo's id, then learns NXCloud's id for the next receipt. */
    @Test
    void aMessageIsFoundByZalosIdAndLearnsNxcloudsRequestIdForTheNext() {
        ParsedReceipt.ZaloAnswer zalo = new ParsedReceipt.ZaloAnswer(0, "Success", null, null, "zalo-1", null, null);
        ReceiptBatch.Incoming success = new ReceiptBatch.Incoming("nxcloud", new ParsedReceipt(ReceiptStatus.SUCCESS, 0, "ok",
                "zalomid.1", null, null, null, null, null, null, null, null, null, null, null, zalo, List.of(), null), "{}");
        ReceiptBatch batch = new ReceiptBatch(List.of(success, receipt(ReceiptStatus.DELIVERED, "zalomid.1", 2)));
        assertThat(batch.references()).containsExactlyInAnyOrder("zalomid.1", "zalo-1");
        batch.match(List.of(new MessageLifecycle.Locked(A, MessageKind.TRANSACTION, MessageStatus.SUBMITTED, "sms-a", null, "zalo-1",
                CONSUMER, OA, null)), List.of());
        assertThat(batch.messageRef(0)).isEqualTo(A);
        assertThat(batch.messageRef(1)).as("found by the requestId learned from the receipt before it").isEqualTo(A);
        assertThat(batch.messageMoves(all(batch))).singleElement().satisfies(move -> {
            assertThat(move.status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(move.learnedNxcloudRequestId()).isEqualTo("zalomid.1");
        });
    }

    /** A failed receipt keeps the provider's code and words; Zalo's number, where relayed, gives the class. */
    @Test
    void aFailureKeepsTheProvidersCodeAndZalosNumberGivesItsClass() {
        ParsedReceipt.ZaloAnswer zalo = new ParsedReceipt.ZaloAnswer(-118, "Zalo account not existed", null, null, null, null, null);
        ReceiptBatch nxcloud = new ReceiptBatch(List.of(new ReceiptBatch.Incoming("nxcloud", new ParsedReceipt(ReceiptStatus.FAILED,
                17004, "Zalo send error", "sms-a", null, null, null, null, null, null, null, null, null, null, null, zalo, List.of(), null),
                "{}")));
        nxcloud.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(nxcloud.messageMoves(all(nxcloud))).singleElement().satisfies(move -> {
            assertThat(move.zaloError().code()).isEqualTo("17004");
            assertThat(move.zaloError().errorClass()).isEqualTo("recipient_unreachable");
        });
        ReceiptBatch esms = new ReceiptBatch(List.of(new ReceiptBatch.Incoming("esms", new ParsedReceipt(ReceiptStatus.FAILED,
                4, "Zalo account not existed", "sms-a", null, null, null, null, null, null, null, null, null, null, null, zalo, List.of(),
                null), "")));
        esms.match(List.of(message(A, MessageStatus.SUBMITTED, "sms-a")), List.of());
        assertThat(esms.messageMoves(all(esms))).singleElement().satisfies(move -> {
            assertThat(move.zaloError().code()).as("Zalo's number, not eSMS's SendStatus 4").isEqualTo("-118");
            assertThat(move.zaloError().errorClass()).isEqualTo("recipient_unreachable");
        });
    }

    @Test
    void aJourneyReceiptMovesEveryJourneyWithItsIdAndChargesTheTokenOnce() {
        UUID sameToken = UUID.fromString("0190a0a0-0000-7000-8000-0000000000ab");
        ReceiptBatch batch = new ReceiptBatch(List.of(journeyReceipt(ReceiptStatus.JOURNEY_ACKNOWLEDGED, "126052", "130")));
        assertThat(batch.journeyIds()).containsExactly("126052");
        assertThat(batch.references()).isEmpty();
        batch.match(List.of(), List.of(new JourneyLifecycle.Locked(J, JourneyStatus.NEW, "126052", CONSUMER, OA),
                new JourneyLifecycle.Locked(sameToken, JourneyStatus.ENABLED, "126052", CONSUMER, OA)));
        assertThat(batch.journeyRef(0)).isEqualTo(J);
        assertThat(batch.journeyMoves(all(batch))).containsExactly(new JourneyLifecycle.Move(J, JourneyStatus.ACKNOWLEDGED),
                new JourneyLifecycle.Move(sameToken, JourneyStatus.ACKNOWLEDGED));
        assertThat(batch.charges(all(batch))).containsExactly(new Charge(CONSUMER, OA, J, ChargeItem.JOURNEY_TOKEN, null, "nxcloud",
                Charge.Source.RECEIPT, "EUR", new BigDecimal("130"), false));
    }

    @Test
    void aJourneyReceiptForAnUnknownJourneyWaitsAndAFinalJourneyDoesNotMove() {
        ReceiptBatch batch = new ReceiptBatch(List.of(journeyReceipt(ReceiptStatus.JOURNEY_TIME_OUT, "126052", null),
                journeyReceipt(ReceiptStatus.JOURNEY_TIME_OUT, "999", null)));
        batch.match(List.of(), List.of(new JourneyLifecycle.Locked(J, JourneyStatus.ACKNOWLEDGED, "126052", CONSUMER, OA)));
        assertThat(batch.journeyMoves(all(batch))).isEmpty();
        assertThat(batch.unmatched(all(batch))).isOne();
        assertThat(batch.matchedIndexes()).containsExactly(0);
    }
}
