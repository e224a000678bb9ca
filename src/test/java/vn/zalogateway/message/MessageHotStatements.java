package vn.zalogateway.message;

import java.util.List;

import vn.zalogateway.support.HotStatements.HotStatement;

/** The message package's hot statements ({@link vn.zalogateway.support.HotStatements}), as {@link MessageLifecycle} runs them. */
public final class MessageHotStatements {

    private static final String NO_ID = "'00000000-0000-0000-0000-000000000000'";

    private MessageHotStatements() {
    }

    public static List<HotStatement> all() {
        return List.of(
                new HotStatement("the Zalo outbox's claim", MessageLifecycle.CLAIM,
                        "200, 60000, " + NO_ID + ", '{transaction,zns_journey}'", "messages_outbox_idx"),
                new HotStatement("the Zalo outbox's submissions", MessageLifecycle.SUBMITTED,
                        "'{" + uuid() + "}', '{sms-1}', '{" + uuid() + "}', 1000, '{NULL}', '{NULL}'", "messages_pkey"),
                new HotStatement("the SMS outbox's claim", MessageLifecycle.CLAIM_SMS, "200, 60000, " + NO_ID,
                        "messages_sms_outbox_idx"),
                new HotStatement("the SMS outbox's submission", MessageLifecycle.SMS_SUBMITTED,
                        NO_ID + ", " + NO_ID + ", 'smsfb-1', NULL", "messages_pkey"),
                new HotStatement("a receipt's lock of its messages", MessageLifecycle.LOCK_FOR_REPORTS,
                        "'{" + uuid() + "}', '{smsfb-14014,sms-14020,zalomid.14021}'", null),
                new HotStatement("a receipt's moves applied", MessageLifecycle.APPLY_MOVES, "'{" + uuid() + "}', '{DELIVERED}', "
                        + "'{DELIVERED}', '{NULL}', '{NULL}', '{zalo}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', "
                        + "'{NULL}', '{NULL}', '{NULL}', '{NULL}'", "messages_pkey"),
                new HotStatement("Zalo attempts past the wait", MessageLifecycle.pick(MessageLifecycle.ZALO_WAIT_OVER), "259200000",
                        "messages_zalo_wait_sent_idx"),
                new HotStatement("SMS attempts past the wait", MessageLifecycle.pick(MessageLifecycle.SMS_WAIT_OVER), "259200000",
                        "messages_sms_wait_idx"),
                new HotStatement("messages past their after", MessageLifecycle.pick(MessageLifecycle.FALLBACK_DUE), "0",
                        "messages_fallback_due_idx"),
                new HotStatement("an OA's held messages released", MessageLifecycle.RELEASE_HELD, "'{3041812345605770001}'",
                        "messages_held_idx"));
    }

    private static String uuid() {
        return java.util.UUID.randomUUID().toString();
    }
}
