package vn.zalogateway.receipt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import vn.zalogateway.journey.JourneyLifecycle;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.journey.JourneyTransitions;
import vn.zalogateway.ledger.Charge;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.QuotaReading;
import vn.zalogateway.message.AttemptStatus;
import vn.zalogateway.message.MessageLifecycle;
import vn.zalogateway.message.MessageState;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.message.MessageTransitions;
import vn.zalogateway.provider.ErrorClass;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/**
 * The rules of one batch of receipts, kept apart from its SQL so they are tested without a database: which
 * receipts are the same (the first of a natural key is stored, the rest are duplicates), which message or
 * journey each one is about, and what the new ones make of them, applied in the order they arrived: the
 * moves (by the messages' and journeys' own state machines), the charges and the quotas they tell.
 * Several receipts of one message in a batch are applied one after the other.
 */
final class ReceiptBatch {

    /** A receipt as it came in; {@code storedId} is set when it is one stored before (the unmatched sweep). */
    record Incoming(String provider, ParsedReceipt receipt, String raw, Long storedId) {

        Incoming(String provider, ParsedReceipt receipt, String raw) {
            this(provider, receipt, raw, null);
        }

        /** What makes two deliveries the same receipt; a stored one is itself alone. */
        String key() {
            return storedId != null ? "stored|" + storedId : ReceiptBatch.key(provider, receipt.naturalKey());
        }
    }

    private final List<Incoming> received;
    private final List<Incoming> distinct;
    private final Map<UUID, Message> messages = new LinkedHashMap<>();
    private final Map<UUID, Journey> journeys = new LinkedHashMap<>();
    private final List<Message> messageTargets = new ArrayList<>();
    private final List<List<Journey>> journeyTargets = new ArrayList<>();

    ReceiptBatch(List<Incoming> received) {
        Map<String, Incoming> first = new LinkedHashMap<>();
        for (Incoming incoming : received) {
            first.putIfAbsent(incoming.key(), incoming);
        }
        this.received = received;
        this.distinct = List.copyOf(first.values());
    }

    static String key(String provider, String naturalKey) {
        return provider + '|' + naturalKey;
    }

    /** The receipts to store, each once, in the order they came. */
    List<Incoming> distinct() {
        return distinct;
    }

    /** Our message ids the receipts name (eSMS echoes them), for the lock. */
    UUID[] messageIds() {
        return messageReceipts().map(receipt -> receipt.messageId()).filter(Objects::nonNull).distinct().toArray(UUID[]::new);
    }

    /** Every id a provider gave that the message receipts name (SMSIDs, NXCloud's requestIds, Zalo's msg_ids), for the lock. */
    String[] references() {
        return messageReceipts().flatMap(receipt -> java.util.stream.Stream.of(receipt.requestId(), receipt.zaloMsgId()))
                .filter(Objects::nonNull).distinct().toArray(String[]::new);
    }

    /** The journey ids the journey receipts name, for the lock. */
    String[] journeyIds() {
        return distinct.stream().map(Incoming::receipt).filter(receipt -> receipt.status().aboutJourney())
                .map(ParsedReceipt::journeyId).filter(Objects::nonNull).distinct().toArray(String[]::new);
    }

    private java.util.stream.Stream<ParsedReceipt> messageReceipts() {
        return distinct.stream().map(Incoming::receipt).filter(receipt -> !receipt.status().aboutJourney());
    }

    /**
     * Finds each receipt's message or journeys among those locked. A message receipt: by our id when it has it,
     * else by the id it quotes as requestId (the sender's reference, NXCloud's own requestId, or Zalo's message id),
     * else by Zalo's message id it carries (the lowest message id when two share one). What a matched receipt tells
     * of the message's ids it did not know yet is learned (the first wins), so that a later receipt of the batch
     * quoting it finds it: the SMSID an eSMS callback names with our RequestId, NXCloud's requestId, Zalo's message
     * id. A journey receipt: every journey with its journey id (the first is the receipt's reference).
     */
    void match(List<MessageLifecycle.Locked> lockedMessages, List<JourneyLifecycle.Locked> lockedJourneys) {
        Map<String, Message> byReference = new HashMap<>();
        Map<String, Message> byNxcloud = new HashMap<>();
        Map<String, Message> byZalo = new HashMap<>();
        Map<String, Message> bySms = new HashMap<>();
        lockedMessages.stream().sorted(Comparator.comparing(MessageLifecycle.Locked::id)).forEach(row -> {
            Message message = new Message(row);
            messages.put(row.id(), message);
            putKnown(byReference, row.providerMessageId(), message);
            putKnown(byNxcloud, row.nxcloudRequestId(), message);
            putKnown(byZalo, row.zaloMsgId(), message);
            putKnown(bySms, row.smsProviderMessageId(), message);
        });
        Map<String, List<Journey>> byJourneyId = new HashMap<>();
        lockedJourneys.stream().sorted(Comparator.comparing(JourneyLifecycle.Locked::id)).forEach(row -> {
            Journey journey = new Journey(row);
            journeys.put(row.id(), journey);
            byJourneyId.computeIfAbsent(row.journeyId(), id -> new ArrayList<>()).add(journey);
        });
        for (Incoming incoming : distinct) {
            ParsedReceipt receipt = incoming.receipt();
            if (receipt.status().aboutJourney()) {
                messageTargets.add(null);
                journeyTargets.add(byJourneyId.getOrDefault(receipt.journeyId(), List.of()));
                continue;
            }
            Message message = receipt.messageId() == null ? null : messages.get(receipt.messageId());
            boolean byOurId = message != null;
            if (receipt.sms()) {
                // An SMS fallback's callback: by our id, else by the SMS's own SMSID.
                message = message != null ? message : receipt.requestId() == null ? null : bySms.get(receipt.requestId());
                if (message != null && byOurId && message.smsReference == null && receipt.requestId() != null) {
                    message.smsReference = receipt.requestId();
                    message.learnedSmsReference = receipt.requestId();
                    putKnown(bySms, receipt.requestId(), message);
                }
                messageTargets.add(message);
                journeyTargets.add(List.of());
                continue;
            }
            if (message == null && receipt.requestId() != null) {
                message = first(receipt.requestId(), byReference, byNxcloud, byZalo);
            }
            if (message == null && receipt.zaloMsgId() != null) {
                message = first(receipt.zaloMsgId(), byZalo, byReference);
            }
            if (message != null) {
                learn(message, incoming, byOurId, byReference, byNxcloud, byZalo);
            }
            messageTargets.add(message);
            journeyTargets.add(List.of());
        }
    }

    /** What a receipt matched to a message tells of the message's ids it did not know yet. */
    private static void learn(Message message, Incoming incoming, boolean byOurId, Map<String, Message> byReference,
            Map<String, Message> byNxcloud, Map<String, Message> byZalo) {
        ParsedReceipt receipt = incoming.receipt();
        String requestId = receipt.requestId();
        if (byOurId && message.reference == null && requestId != null) {
            // eSMS names our RequestId beside its SMSID: the SMSID a 124 answer left out.
            message.reference = requestId;
            message.learnedReference = requestId;
            putKnown(byReference, requestId, message);
        }
        if (ReceiptService.NXCLOUD.equals(incoming.provider()) && requestId != null && message.nxcloudRequestId == null
                && !requestId.equals(message.reference) && !requestId.equals(message.zaloMsgId)) {
            message.nxcloudRequestId = requestId;
            message.learnedNxcloudRequestId = requestId;
            putKnown(byNxcloud, requestId, message);
        }
        if (receipt.zaloMsgId() != null && message.zaloMsgId == null) {
            message.zaloMsgId = receipt.zaloMsgId();
            message.learnedZaloMsgId = receipt.zaloMsgId();
            putKnown(byZalo, receipt.zaloMsgId(), message);
        }
    }

    private static void putKnown(Map<String, Message> byId, String id, Message message) {
        if (id != null) {
            byId.putIfAbsent(id, message);
        }
    }

    @SafeVarargs
    private static Message first(String id, Map<String, Message>... byIds) {
        for (Map<String, Message> byId : byIds) {
            Message message = byId.get(id);
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    /** The message of the i-th distinct receipt; null while it is not known (or it is about a journey). */
    UUID messageRef(int i) {
        Message message = messageTargets.get(i);
        return message == null ? null : message.locked.id();
    }

    /** The journey of the i-th distinct receipt (the first with its journey id); null while none is known. */
    UUID journeyRef(int i) {
        List<Journey> targets = journeyTargets.get(i);
        return targets.isEmpty() ? null : targets.get(0).locked.id();
    }

    private boolean matched(int i) {
        return messageTargets.get(i) != null || !journeyTargets.get(i).isEmpty();
    }

    /** Whether a message learned an id here: receipts waiting unmatched for it can be applied now. */
    boolean learnedReference() {
        return messages.values().stream().anyMatch(Message::learnedAny);
    }

    /**
     * Of the receipts received, those already stored ({@code stored}: the keys stored now): each one stored
     * before this batch, and each delivery after the first of a key within it.
     */
    List<Incoming> duplicates(Set<String> stored) {
        Set<String> counted = new HashSet<>();
        return received.stream().filter(incoming -> !stored.contains(incoming.key()) || !counted.add(incoming.key())).toList();
    }

    /** How many receipts were stored now without their message or journey (they wait for the sweeper). */
    int unmatched(Set<String> stored) {
        int unmatched = 0;
        for (int i = 0; i < distinct.size(); i++) {
            if (!matched(i) && stored.contains(distinct.get(i).key())) {
                unmatched++;
            }
        }
        return unmatched;
    }

    /** The indexes of the receipts (of {@link #distinct}) that found their message or journey. */
    List<Integer> matchedIndexes() {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (matched(i)) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** The keys of every receipt of the batch: for stored ones (the sweep's), all count as stored now. */
    Set<String> keys() {
        Set<String> keys = new HashSet<>();
        distinct.forEach(incoming -> keys.add(incoming.key()));
        return keys;
    }

    /**
     * Applies the receipts stored now (keys of {@link #key}) in the order they came, and answers what the
     * messages become; messages the batch leaves as they were are not listed.
     */
    List<MessageLifecycle.Move> messageMoves(Set<String> stored) {
        for (int i = 0; i < distinct.size(); i++) {
            Message message = messageTargets.get(i);
            if (message == null || !stored.contains(distinct.get(i).key())) {
                continue;
            }
            ParsedReceipt receipt = distinct.get(i).receipt();
            MessageTransitions.Report report = report(receipt.status());
            if (receipt.sms()) {
                MessageState next = message.state.smsReport(report);
                if (next.sms() == AttemptStatus.FAILED && message.state.sms() != AttemptStatus.FAILED) {
                    message.smsError = smsFailure(receipt);
                }
                message.state = next;
            } else {
                MessageState next = message.state.zaloReport(report);
                if (next.zalo() == AttemptStatus.FAILED && message.state.zalo() != AttemptStatus.FAILED) {
                    message.zaloError = failure(distinct.get(i).provider(), receipt);
                }
                message.state = next;
            }
        }
        List<MessageLifecycle.Move> moves = new ArrayList<>();
        for (Message message : messages.values()) {
            if (!message.state.equals(message.locked.state()) || message.learnedAny()) {
                moves.add(new MessageLifecycle.Move(message.locked.id(), message.state, message.zaloError, message.smsError,
                        message.learnedReference, message.learnedNxcloudRequestId, message.learnedZaloMsgId, message.learnedSmsReference));
            }
        }
        return moves;
    }

    /** What the journey receipts stored now make of their journeys; journeys left as they were are not listed. */
    List<JourneyLifecycle.Move> journeyMoves(Set<String> stored) {
        for (int i = 0; i < distinct.size(); i++) {
            if (!stored.contains(distinct.get(i).key())) {
                continue;
            }
            ReceiptStatus status = distinct.get(i).receipt().status();
            for (Journey journey : journeyTargets.get(i)) {
                journey.status = JourneyTransitions.next(journey.status, status == ReceiptStatus.JOURNEY_ACKNOWLEDGED
                        ? JourneyTransitions.Report.ACKNOWLEDGED : JourneyTransitions.Report.TIMED_OUT);
            }
        }
        List<JourneyLifecycle.Move> moves = new ArrayList<>();
        for (Journey journey : journeys.values()) {
            if (journey.status != journey.locked.status()) {
                moves.add(new JourneyLifecycle.Move(journey.locked.id(), journey.status));
            }
        }
        return moves;
    }

    /**
     * The charges the receipts stored now tell: a message receipt's cost is its message's send (the provider
     * that sent it bills it: eSMS's for a transaction message is of record, NXCloud's stands in); a journey
     * receipt's is its token's (eTelecom's fee_token is of record, NXCloud's stands in).
     */
    List<Charge> charges(Set<String> stored) {
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            Incoming incoming = distinct.get(i);
            ParsedReceipt receipt = incoming.receipt();
            if (!stored.contains(incoming.key()) || receipt.costAmount() == null || receipt.costCurrency() == null) {
                continue;
            }
            Message message = messageTargets.get(i);
            if (message != null && receipt.sms()) {
                // The SMS's TotalPrice, from its callback: eSMS sent it and bills it.
                MessageLifecycle.Locked locked = message.locked;
                charges.add(new Charge(locked.consumerId(), locked.oaId(), locked.id(), ChargeItem.SMS, locked.id(),
                        incoming.provider(), Charge.Source.RECEIPT, receipt.costCurrency(), receipt.costAmount(), true));
            } else if (message != null) {
                MessageLifecycle.Locked locked = message.locked;
                charges.add(new Charge(locked.consumerId(), locked.oaId(), locked.id(), ChargeItem.MESSAGE, locked.id(),
                        incoming.provider(), Charge.Source.RECEIPT, receipt.costCurrency(), receipt.costAmount(),
                        incoming.provider().equals(locked.kind().sender())));
            } else if (!journeyTargets.get(i).isEmpty()) {
                JourneyLifecycle.Locked journey = journeyTargets.get(i).get(0).locked;
                charges.add(new Charge(journey.consumerId(), journey.oaId(), journey.id(), ChargeItem.JOURNEY_TOKEN, null,
                        incoming.provider(), Charge.Source.RECEIPT, receipt.costCurrency(), receipt.costAmount(), false));
            }
        }
        return charges;
    }

    /**
     * The quotas the receipts stored now report, for their message's or journey's OA (a message receipt
     * names none), as of Zalo's sending time when it gave one, else when the receipt came.
     */
    List<QuotaReading> quotas(Set<String> stored, Instant now) {
        List<QuotaReading> quotas = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            Incoming incoming = distinct.get(i);
            ParsedReceipt receipt = incoming.receipt();
            if (!stored.contains(incoming.key()) || receipt.remainingQuota() == null || !matched(i)) {
                continue;
            }
            long oaId = messageTargets.get(i) != null ? messageTargets.get(i).locked.oaId() : journeyTargets.get(i).get(0).locked.oaId();
            Instant at = receipt.zalo() != null && receipt.zalo().sentAt() != null ? receipt.zalo().sentAt() : now;
            quotas.add(new QuotaReading(oaId, receipt.remainingQuota(), receipt.dailyQuota(), at, QuotaReading.Source.RECEIPT));
        }
        return quotas;
    }

    /**
     * Why a receipt failed its message: eSMS's callback says it with Zalo's own error number (its SendStatus only
     * says "rejected" or "finished"), NXCloud with its code (Zalo's number in zaloRes beside it); the class from both.
     */
    private static MessageLifecycle.Error failure(String provider, ParsedReceipt receipt) {
        Integer zaloError = receipt.zaloError();
        String code;
        if (ReceiptService.ESMS.equals(provider)) {
            code = zaloError != null && zaloError != 0 ? zaloError.toString() : "esms_send_status_" + receipt.code();
        } else {
            code = receipt.code() == null ? "receipt_failed" : receipt.code().toString();
        }
        return new MessageLifecycle.Error(code, receipt.message() != null ? receipt.message() : NxcloudCodes.meaning(receipt.code()),
                ErrorClass.of(provider, ReceiptService.ESMS.equals(provider) ? null
                        : receipt.code() == null ? null : receipt.code().toString(), zaloError).wireName());
    }

    /** Why eSMS's callback failed an SMS: its SendStatus, and its words (error_info) when it gave any. */
    private static MessageLifecycle.Error smsFailure(ParsedReceipt receipt) {
        return new MessageLifecycle.Error("esms_send_status_" + receipt.code(),
                receipt.message() != null ? receipt.message() : "eSMS reported the SMS failed", ErrorClass.UNKNOWN.wireName());
    }

    /** What a message receipt reports, in the message's own words. */
    static MessageTransitions.Report report(ReceiptStatus status) {
        return switch (status) {
            case SUCCESS -> MessageTransitions.Report.SENT;
            case DELIVERED -> MessageTransitions.Report.DELIVERED;
            case FAILED -> MessageTransitions.Report.FAILED;
            default -> MessageTransitions.Report.IN_PROGRESS;
        };
    }

    /** A locked message as the batch moves it. */
    private static final class Message {
        final MessageLifecycle.Locked locked;
        MessageState state;
        String reference;
        String nxcloudRequestId;
        String zaloMsgId;
        String smsReference;
        String learnedReference;
        String learnedNxcloudRequestId;
        String learnedZaloMsgId;
        String learnedSmsReference;
        MessageLifecycle.Error zaloError;
        MessageLifecycle.Error smsError;

        Message(MessageLifecycle.Locked locked) {
            this.locked = locked;
            this.state = locked.state();
            this.reference = locked.providerMessageId();
            this.nxcloudRequestId = locked.nxcloudRequestId();
            this.zaloMsgId = locked.zaloMsgId();
            this.smsReference = locked.smsProviderMessageId();
        }

        boolean learnedAny() {
            return learnedReference != null || learnedNxcloudRequestId != null || learnedZaloMsgId != null || learnedSmsReference != null;
        }
    }

    /** A locked journey as the batch moves it. */
    private static final class Journey {
        final JourneyLifecycle.Locked locked;
        JourneyStatus status;

        Journey(JourneyLifecycle.Locked locked) {
            this.locked = locked;
            this.status = locked.status();
        }
    }
}
