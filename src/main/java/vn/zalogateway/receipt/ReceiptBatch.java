package vn.zalogateway.receipt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/**
 * The rules of one batch of message receipts, kept apart from its SQL so they are tested without a database:
 * which receipts are the same (the first of a natural key is stored, the rest are duplicates), which message
 * each one is about, and where the messages end up when the new ones are applied in the order they arrived
 * (forward only, {@link Transitions}). Several receipts of one message in a batch are applied one after the other.
 */
final class ReceiptBatch {

    /** A receipt as it came in. */
    record Incoming(String provider, ParsedReceipt receipt, String raw) {
        String key() {
            return ReceiptBatch.key(provider, receipt.naturalKey());
        }
    }

    /** A message as it was locked for the batch. */
    record LockedMessage(UUID id, MessageStatus status, String smsId) {
    }

    /** What to write to a message: its status after the batch, the error that failed it, the SMSID it learned. */
    record Move(UUID id, MessageStatus status, String errorCode, String errorMessage, String learnedSmsId) {
    }

    private final List<Incoming> received;
    private final List<Incoming> distinct;
    private final int duplicates;
    private final Map<UUID, Message> messages = new LinkedHashMap<>();
    private final List<Message> targets = new ArrayList<>();

    ReceiptBatch(List<Incoming> received) {
        Map<String, Incoming> first = new LinkedHashMap<>();
        for (Incoming incoming : received) {
            first.putIfAbsent(incoming.key(), incoming);
        }
        this.received = received;
        this.distinct = List.copyOf(first.values());
        this.duplicates = received.size() - distinct.size();
    }

    static String key(String provider, String naturalKey) {
        return provider + '|' + naturalKey;
    }

    /** The receipts to store, each once, in the order they came. */
    List<Incoming> distinct() {
        return distinct;
    }

    /** Receipts that repeated one earlier in the same batch. */
    int duplicatesWithin() {
        return duplicates;
    }

    /** Our message ids the receipts name (eSMS echoes them), for the lock. */
    UUID[] messageIds() {
        return distinct.stream().map(incoming -> incoming.receipt().messageId()).filter(Objects::nonNull).distinct()
                .toArray(UUID[]::new);
    }

    /** The providers' references (SMSIDs) the receipts name, for the lock. */
    String[] smsIds() {
        return distinct.stream().map(incoming -> incoming.receipt().requestId()).filter(Objects::nonNull).distinct()
                .toArray(String[]::new);
    }

    /**
     * Finds each receipt's message among those locked: by our id when the receipt has it, else by SMSID (the
     * lowest id when two messages share one). A message that has no SMSID takes the receipt's (the first wins),
     * and a later receipt of the batch quoting that SMSID finds it.
     */
    void match(List<LockedMessage> locked) {
        Map<String, Message> bySmsId = new HashMap<>();
        locked.stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(row -> {
            Message message = new Message(row.id(), row.status(), row.smsId());
            messages.put(row.id(), message);
            if (row.smsId() != null) {
                bySmsId.putIfAbsent(row.smsId(), message);
            }
        });
        for (Incoming incoming : distinct) {
            ParsedReceipt receipt = incoming.receipt();
            Message message = receipt.messageId() == null ? null : messages.get(receipt.messageId());
            if (message != null) {
                if (message.smsId == null && receipt.requestId() != null) {
                    message.smsId = receipt.requestId();
                    message.learnedSmsId = receipt.requestId();
                    bySmsId.putIfAbsent(receipt.requestId(), message);
                }
            } else if (receipt.requestId() != null) {
                message = bySmsId.get(receipt.requestId());
            }
            targets.add(message);
        }
    }

    /** The message of the i-th distinct receipt; null while it is not known (the receipt waits unmatched). */
    UUID target(int i) {
        Message message = targets.get(i);
        return message == null ? null : message.id;
    }

    /** Whether a message learned an SMSID here: receipts waiting unmatched for it can be applied now. */
    boolean learnedSmsId() {
        return messages.values().stream().anyMatch(message -> message.learnedSmsId != null);
    }

    /**
     * Of the receipts received, those already stored ({@code stored}: the keys stored now): each one stored
     * before this batch, and each delivery after the first of a key within it.
     */
    List<Incoming> duplicates(Set<String> stored) {
        Set<String> counted = new HashSet<>();
        return received.stream().filter(incoming -> !stored.contains(incoming.key()) || !counted.add(incoming.key())).toList();
    }

    /** How many receipts were stored now without their message (they wait for the sweeper). */
    int unmatched(Set<String> stored) {
        int unmatched = 0;
        for (int i = 0; i < distinct.size(); i++) {
            if (targets.get(i) == null && stored.contains(distinct.get(i).key())) {
                unmatched++;
            }
        }
        return unmatched;
    }

    /**
     * The receipts newly stored (keys of {@link #key}) applied in the order they came: what each message
     * becomes. Messages the batch leaves as they were are not listed.
     */
    List<Move> moves(Set<String> stored) {
        for (int i = 0; i < distinct.size(); i++) {
            Message message = targets.get(i);
            Incoming incoming = distinct.get(i);
            if (message == null || !stored.contains(incoming.key())) {
                continue;
            }
            ParsedReceipt receipt = incoming.receipt();
            MessageStatus next = Transitions.message(message.status, receipt.status());
            if (next != message.status) {
                message.status = next;
                if (next == MessageStatus.FAILED) {
                    message.errorCode = receipt.code() == null ? "receipt_failed" : receipt.code().toString();
                    message.errorMessage = receipt.message() != null ? receipt.message() : NxcloudCodes.meaning(receipt.code());
                }
            }
        }
        List<Move> moves = new ArrayList<>();
        for (Message message : messages.values()) {
            if (message.status != message.lockedStatus || message.learnedSmsId != null) {
                moves.add(new Move(message.id, message.status, message.errorCode, message.errorMessage, message.learnedSmsId));
            }
        }
        return moves;
    }

    /** A locked message as the batch moves it. */
    private static final class Message {
        final UUID id;
        final MessageStatus lockedStatus;
        MessageStatus status;
        String smsId;
        String learnedSmsId;
        String errorCode;
        String errorMessage;

        Message(UUID id, MessageStatus status, String smsId) {
            this.id = id;
            this.lockedStatus = status;
            this.status = status;
            this.smsId = smsId;
        }
    }
}
