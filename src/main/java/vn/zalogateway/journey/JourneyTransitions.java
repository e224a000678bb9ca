package vn.zalogateway.journey;

import java.util.EnumSet;
import java.util.Set;

/**
 * A journey's state machine after eTelecom created it: a live token (NEW, ENABLED, DISABLED, UNKNOWN) becomes
 * ACKNOWLEDGED (its first message started the charge) or TIMED_OUT (it expired unused); both are final, so a
 * late or repeated receipt never moves a journey back.
 */
public final class JourneyTransitions {

    /** What a receipt reports about a journey token. */
    public enum Report {
        /** journey_acknowledged (17006): charging started. */
        ACKNOWLEDGED,
        /** journey_time_out (17007): expired, never used. */
        TIMED_OUT
    }

    private static final Set<JourneyStatus> LIVE = EnumSet.of(JourneyStatus.NEW, JourneyStatus.ENABLED,
            JourneyStatus.DISABLED, JourneyStatus.UNKNOWN);

    private JourneyTransitions() {
    }

    /** The journey's status after the report: the same status when the report moves nothing. */
    public static JourneyStatus next(JourneyStatus current, Report report) {
        if (!LIVE.contains(current)) {
            return current;
        }
        return report == Report.ACKNOWLEDGED ? JourneyStatus.ACKNOWLEDGED : JourneyStatus.TIMED_OUT;
    }
}
