package vn.zalogateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import vn.zalogateway.message.MessageStatus;

class ReceiptBatchTest {

    static final UUID A = UUID.fromString("0190a0a0-0000-7000-8000-00000000000a");
    static final UUID B = UUID.fromString("0190a0a0-0000-7000-8000-00000000000b");

    static ReceiptBatch.Incoming receipt(ReceiptStatus status, String smsId, UUID messageId, Integer code, long timestamp) {
        return new ReceiptBatch.Incoming("nxcloud", new ParsedReceipt(status, code, code == null || code == 0 ? "ok" : null, smsId,
                null, "1", null, null, timestamp, null, null, null, null, null, messageId, null, List.of(), null), "{}");
    }

    static ReceiptBatch.Incoming receipt(ReceiptStatus status, String smsId, long timestamp) {
        return receipt(status, smsId, null, 0, timestamp);
    }

    static Set<String> all(ReceiptBatch batch) {
        return Set.copyOf(batch.distinct().stream().map(ReceiptBatch.Incoming::key).toList());
    }

    @Test
    void aReceiptRepeatedWithinTheBatchIsStoredOnce() {
        ReceiptBatch.Incoming success = receipt(ReceiptStatus.SUCCESS, "sms-a", 1);
        ReceiptBatch batch = new ReceiptBatch(List.of(success, receipt(ReceiptStatus.DELIVERED, "sms-a", 2), success));
        assertThat(batch.distinct()).hasSize(2);
        assertThat(batch.duplicatesWithin()).isEqualTo(1);
        assertThat(batch.smsIds()).containsExactly("sms-a");
    }

    @Test
    void twoReceiptsOfOneMessageAreAppliedInTheOrderTheyCameAndForwardOnly() {
        ReceiptBatch inOrder = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1), receipt(ReceiptStatus.DELIVERED, "sms-a", 2)));
        inOrder.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, "sms-a")));
        assertThat(inOrder.moves(all(inOrder))).containsExactly(new ReceiptBatch.Move(A, MessageStatus.DELIVERED, null, null, null));

        ReceiptBatch reversed = new ReceiptBatch(List.of(receipt(ReceiptStatus.DELIVERED, "sms-a", 2), receipt(ReceiptStatus.SUCCESS, "sms-a", 1)));
        reversed.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, "sms-a")));
        assertThat(reversed.moves(all(reversed))).containsExactly(new ReceiptBatch.Move(A, MessageStatus.DELIVERED, null, null, null));
    }

    @Test
    void aFailureKeepsItsCodeAndAFinalMessageDoesNotMove() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.FAILED, "sms-a", null, 17004, 1),
                receipt(ReceiptStatus.SUCCESS, "sms-b", 2)));
        batch.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SENT, "sms-a"),
                new ReceiptBatch.LockedMessage(B, MessageStatus.DELIVERED, "sms-b")));
        List<ReceiptBatch.Move> moves = batch.moves(all(batch));
        assertThat(moves).hasSize(1);
        assertThat(moves.get(0).id()).isEqualTo(A);
        assertThat(moves.get(0).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(moves.get(0).errorCode()).isEqualTo("17004");
        assertThat(moves.get(0).errorMessage()).isNotBlank();
    }

    @Test
    void aReceiptStoredBeforeMovesNothing() {
        ReceiptBatch.Incoming delivered = receipt(ReceiptStatus.DELIVERED, "sms-a", 2);
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1), delivered));
        batch.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, "sms-a")));
        Set<String> onlySuccessIsNew = Set.of(batch.distinct().get(0).key());
        assertThat(batch.moves(onlySuccessIsNew)).containsExactly(new ReceiptBatch.Move(A, MessageStatus.SENT, null, null, null));
    }

    @Test
    void aMessageWithoutSmsIdLearnsItFromTheFirstReceiptNamingItAndLaterReceiptsFindIt() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-new", A, 0, 1),
                receipt(ReceiptStatus.DELIVERED, "sms-new", 2), receipt(ReceiptStatus.SUCCESS, "sms-other", A, 0, 3)));
        assertThat(batch.messageIds()).containsExactly(A);
        batch.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, null)));
        assertThat(batch.target(0)).isEqualTo(A);
        assertThat(batch.target(1)).isEqualTo(A);
        assertThat(batch.target(2)).isEqualTo(A);
        assertThat(batch.learnedSmsId()).isTrue();
        assertThat(batch.moves(all(batch))).containsExactly(new ReceiptBatch.Move(A, MessageStatus.DELIVERED, null, null, "sms-new"));
    }

    @Test
    void anUnknownMessageIdFallsBackToTheSmsIdAndAnUnknownSmsIdWaitsUnmatched() {
        UUID unknown = UUID.fromString("0190a0a0-0000-7000-8000-0000000000ff");
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", unknown, 0, 1),
                receipt(ReceiptStatus.SUCCESS, "sms-unknown", 2)));
        batch.match(List.of(new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, "sms-a")));
        assertThat(batch.target(0)).isEqualTo(A);
        assertThat(batch.target(1)).isNull();
        assertThat(batch.learnedSmsId()).isFalse();
    }

    @Test
    void twoMessagesSharingAnSmsIdGiveItToTheLowestId() {
        ReceiptBatch batch = new ReceiptBatch(List.of(receipt(ReceiptStatus.SUCCESS, "sms-a", 1)));
        batch.match(List.of(new ReceiptBatch.LockedMessage(B, MessageStatus.SUBMITTED, "sms-a"),
                new ReceiptBatch.LockedMessage(A, MessageStatus.SUBMITTED, "sms-a")));
        assertThat(batch.target(0)).isEqualTo(A);
    }
}
