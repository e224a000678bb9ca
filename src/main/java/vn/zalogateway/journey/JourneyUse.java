package vn.zalogateway.journey;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Whether a journey's token can carry a ZNS journey message (contract v1.2): the same OA and phone,
 * a token eTelecom gave and no receipt ended, and not expired, neither now nor at the message's
 * {@code send_at}. Checked when a message is accepted (a 422 then) and again when it is sent.
 */
public final class JourneyUse {

    /** Statuses whose token can carry messages. ACKNOWLEDGED: charging started, later messages ride on it. */
    static final Set<JourneyStatus> USABLE = EnumSet.of(JourneyStatus.NEW, JourneyStatus.ENABLED, JourneyStatus.UNKNOWN,
            JourneyStatus.ACKNOWLEDGED);

    /** Why a journey cannot carry a message: an error code for the message, and words for people. */
    public record Refusal(String code, String reason) {
    }

    private JourneyUse() {
    }

    /** The refusal, or null when the journey can carry a message to this OA and phone at {@code at}. */
    public static Refusal refusal(Journey journey, long oaId, String phone, Instant at) {
        if (journey.oaId() != oaId) {
            return new Refusal("journey_other_oa", "belongs to another OA (" + journey.oaId() + ")");
        }
        if (phone != null && !phone.equals(journey.phone())) {
            return new Refusal("journey_other_phone", "is for another phone (" + PhoneNumbers.mask(journey.phone())
                    + "): a token is for one phone");
        }
        return refusal(journey.status(), journey.expiresAt(), at);
    }

    /** The same for what the outbox knows of a linked journey: its status and expiry. */
    public static Refusal refusal(JourneyStatus status, Instant expiresAt, Instant at) {
        if (expiresAt != null && !at.isBefore(expiresAt)) {
            return new Refusal("journey_expired", "expired at " + expiresAt);
        }
        if (!USABLE.contains(status)) {
            return new Refusal(status == JourneyStatus.DISABLED ? "journey_disabled"
                    : status == JourneyStatus.TIMED_OUT ? "journey_timed_out" : "journey_unusable",
                    switch (status) {
                        case PENDING -> "is still being created at eTelecom: send with it once it has a token";
                        case DISABLED -> "is DISABLED at eTelecom (status N)";
                        case TIMED_OUT -> "timed out unused (journey_time_out): create a new token";
                        default -> "is " + status + " and has no token to use";
                    });
        }
        return null;
    }

    /** Throws the 422 a consumer gets for a journey that cannot carry its message. */
    public static void check(Journey journey, long oaId, String phone, Instant sendAt, Instant now) {
        Instant at = sendAt != null && sendAt.isAfter(now) ? sendAt : now;
        Refusal refusal = refusal(journey, oaId, phone, at);
        if (refusal == null) {
            return;
        }
        boolean expired = refusal.code().equals("journey_expired");
        String when = expired && at != now ? ", before the message's send_at " + sendAt : "";
        throw new ProblemException(Problem.of(422, expired ? "journey-expired" : "journey-unusable",
                expired ? "Journey expired" : "Journey cannot carry this message",
                "Journey " + journey.id() + " " + refusal.reason() + when
                        + (expired ? ": create a new journey token for this message" : ""))
                .withViolations(List.of(new Violation("journey_id", refusal.reason() + when))));
    }
}
