package vn.zalogateway.callback;

import java.util.List;

import vn.zalogateway.support.HotStatements.HotStatement;

/** The callback package's hot statements ({@link vn.zalogateway.support.HotStatements}), as {@link CallbackEvents} runs them. */
public final class CallbackHotStatements {

    private static final String NO_ID = "'00000000-0000-0000-0000-000000000000'";

    private CallbackHotStatements() {
    }

    public static List<HotStatement> all() {
        return List.of(
                new HotStatement("the callback sender's claim", CallbackEvents.CLAIM, "100, 60000, " + NO_ID + ", '{}', 10, '{}'",
                        "callback_events_consumer_due_idx"),
                new HotStatement("callbacks delivered", CallbackEvents.DELIVERED, "'{" + NO_ID.replace("'", "") + "}', '{"
                        + NO_ID.replace("'", "") + "}', '{200}'", "callback_events_pkey"),
                new HotStatement("a callback attempt failed", CallbackEvents.ATTEMPT_FAILED, NO_ID + ", " + NO_ID + ", 500, 'boom', 1000",
                        "callback_events_pkey"));
    }
}
