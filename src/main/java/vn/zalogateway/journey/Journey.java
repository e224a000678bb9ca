package vn.zalogateway.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.etelecom.CreatedJourney;

/**
 * A journey token, from our first attempt to create it to its last receipt. The row exists before
 * eTelecom is called, so that an attempt is never lost, whatever happens to the call.
 */
@Entity
@Table(name = "journeys")
@DynamicUpdate
public class Journey {

    private static final int LONGEST_ERROR_MESSAGE = 1000;

    @Id
    private UUID id;
    private UUID consumerId;
    private long oaId;
    private String phone;
    private String tokenType;
    @Enumerated(EnumType.STRING)
    private JourneyStatus status;
    private String providerStatus;
    private String providerRef;
    private String journeyId;
    @Column(columnDefinition = "text")
    private String journeyToken;
    private boolean charged;
    private Instant expiresAt;
    @Enumerated(EnumType.STRING)
    private FailureKind failureKind;
    private String errorCode;
    private String errorMessage;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant providerCreatedAt;
    private Instant providerUpdatedAt;
    private String providerPhone;
    @Column(columnDefinition = "text")
    private String providerAnswer;
    @Version
    private long version;

    protected Journey() {
        // for Hibernate
    }

    static Journey attempt(UUID id, UUID consumerId, NewJourney request, Instant now) {
        Journey journey = new Journey();
        journey.id = id;
        journey.consumerId = consumerId;
        journey.oaId = request.oaId();
        journey.phone = request.phone();
        journey.tokenType = request.tokenType().wireName();
        journey.status = JourneyStatus.PENDING;
        journey.createdAt = now;
        journey.updatedAt = now;
        return journey;
    }

    /**
     * eTelecom's answer, unless the attempt was given up meanwhile (a retry with the same Idempotency-Key
     * took over, or the sweeper failed it after its lease): a late answer does not undo that. False then.
     */
    boolean recordCreated(CreatedJourney created, Instant now) {
        if (!isPending()) {
            return false;
        }
        providerRef = created.providerId();
        journeyId = created.journeyId();
        journeyToken = created.journeyToken();
        providerStatus = created.providerStatus();
        status = JourneyStatus.fromProviderStatus(created.providerStatus());
        charged = created.charged();
        expiresAt = created.expiresAt();
        providerCreatedAt = created.createdAt();
        providerUpdatedAt = created.updatedAt();
        providerPhone = created.phone();
        updatedAt = now;
        return true;
    }

    /** A failure is recorded only on an attempt still pending, for the same reason. */
    boolean recordFailure(ProviderException failure, Instant now) {
        if (!isPending()) {
            return false;
        }
        status = JourneyStatus.FAILED;
        providerAnswer = failure.answer();
        if (failure instanceof ProviderException.Refused refused) {
            failureKind = FailureKind.REFUSED;
            errorCode = refused.code();
            errorMessage = clip(refused.providerMessage());
        } else {
            failureKind = failure instanceof ProviderException.TimedOut ? FailureKind.TIMEOUT
                    : failure.mayHaveArrived() ? FailureKind.UNAVAILABLE : FailureKind.NOT_REACHED;
            errorCode = failureKind == FailureKind.TIMEOUT ? "upstream_timeout" : "upstream_unavailable";
            errorMessage = clip(failure.getMessage());
        }
        updatedAt = now;
        return true;
    }

    /** A PENDING attempt whose request died with the gateway; it will never be completed. */
    void abandon(Instant now, String reason) {
        status = JourneyStatus.FAILED;
        failureKind = FailureKind.ABANDONED;
        errorCode = "abandoned";
        errorMessage = reason;
        updatedAt = now;
    }

    /** A receipt moved the journey forward: acknowledged means charging started. */
    public void receive(JourneyStatus next, Instant now) {
        status = next;
        if (next == JourneyStatus.ACKNOWLEDGED) {
            charged = true;
        }
        updatedAt = now;
    }

    /** The status as consumers read it: a live token past its expiry is EXPIRED (never stored so). */
    public JourneyStatus statusAt(Instant now) {
        return JourneyStatus.LIVE.contains(status) && expiresAt != null && !expiresAt.isAfter(now) ? JourneyStatus.EXPIRED : status;
    }

    boolean isPending() {
        return status == JourneyStatus.PENDING;
    }

    boolean isStale(Instant now, Duration lease) {
        return isPending() && updatedAt.plus(lease).isBefore(now);
    }

    /** Whether the attempt failed before its request left: eTelecom cannot have made a token. */
    boolean certainlyNotReached() {
        return status == JourneyStatus.FAILED && failureKind == FailureKind.NOT_REACHED;
    }

    /** Whether a retry with the same Idempotency-Key should make a new attempt rather than replay this one. */
    boolean mayBeRetried() {
        return status == JourneyStatus.FAILED && failureKind != FailureKind.REFUSED;
    }

    private static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= LONGEST_ERROR_MESSAGE ? text : text.substring(0, LONGEST_ERROR_MESSAGE);
    }

    public UUID id() {
        return id;
    }

    /** The consumer whose key created it: only that consumer sees it. */
    public UUID consumerId() {
        return consumerId;
    }

    public long oaId() {
        return oaId;
    }

    public String phone() {
        return phone;
    }

    public String tokenType() {
        return tokenType;
    }

    public JourneyStatus status() {
        return status;
    }

    public String providerStatus() {
        return providerStatus;
    }

    public String providerRef() {
        return providerRef;
    }

    public String journeyId() {
        return journeyId;
    }

    public String journeyToken() {
        return journeyToken;
    }

    public boolean charged() {
        return charged;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public FailureKind failureKind() {
        return failureKind;
    }

    public String errorCode() {
        return errorCode;
    }

    /** eTelecom's own times of the token, when it gave readable ones. */
    public Instant providerCreatedAt() {
        return providerCreatedAt;
    }

    public Instant providerUpdatedAt() {
        return providerUpdatedAt;
    }

    /** The phone eTelecom linked the token to, as eTelecom wrote it. */
    public String providerPhone() {
        return providerPhone;
    }

    /** eTelecom's answer as it came, when the attempt failed on it. */
    public String providerAnswer() {
        return providerAnswer;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
