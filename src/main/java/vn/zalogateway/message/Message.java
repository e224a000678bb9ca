package vn.zalogateway.message;

import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import vn.zalogateway.common.SendWindow;

/**
 * A Zalo message: a transaction message (eSMS) or a ZNS journey message (eTelecom). The API creates and reads it;
 * after that only {@link MessageLifecycle} moves it (claims, provider answers, reports, the wait), with guarded SQL,
 * so two writers never undo each other.
 */
@Entity
@Table(name = "messages")
@DynamicUpdate
public class Message {

    @Id
    private UUID id;
    private UUID consumerId;
    private MessageKind kind;
    private long oaId;
    private String userId;
    private String templateType;
    private String language;
    @Column(columnDefinition = "text")
    private String zaloPayload;
    private String phone;
    private Integer templateId;
    @Column(columnDefinition = "text")
    private String templateData;
    private boolean sandbox;
    private Instant sendAt;
    private String ext;
    private UUID journeyRef;
    private String journeyPhone;
    private String journeyTokenType;
    @Enumerated(EnumType.STRING)
    private MessageStatus status;
    private String providerMessageId;
    private String nxcloudRequestId;
    private String zaloMsgId;
    private String errorCode;
    private String errorMessage;
    private String errorClass;
    @Column(columnDefinition = "text")
    private String providerAnswer;
    private String providerNote;
    private int attempts;
    private Instant dueAt;
    private Instant leaseUntil;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant submittedAt;
    private String zaloStatus;
    private String channel;
    private String fallbackPhone;
    private String fallbackText;
    private String fallbackBrandname;
    private Boolean fallbackUnicode;
    private Short fallbackParts;
    private Long fallbackAfterMs;
    private String smsStatus;
    private String smsReason;
    private String smsProviderMessageId;
    private String smsErrorCode;
    private String smsErrorMessage;
    private String smsErrorClass;
    private Instant smsSubmittedAt;
    private LocalTime windowFrom;
    private LocalTime windowTo;
    private Instant heldUntil;
    private UUID batchId;
    private Boolean templateChecked;
    private String storedTemplateName;
    private Integer storedTemplateVersion;

    protected Message() {
        // for Hibernate
    }

    /** Accepted now, or scheduled when {@code send_at} is still ahead. */
    static Message accept(UUID id, UUID consumerId, NewMessage request, Instant now) {
        Message message = new Message();
        message.id = id;
        message.consumerId = consumerId;
        message.kind = request.kind();
        message.oaId = request.oaId();
        message.userId = request.userId();
        message.templateType = request.templateType();
        message.language = request.language();
        message.zaloPayload = request.zaloPayload();
        message.phone = request.phone();
        message.templateId = request.templateId();
        message.templateData = request.templateData();
        message.sandbox = request.sandbox();
        message.sendAt = request.sendAt();
        message.ext = request.ext();
        message.journeyRef = request.journeyId();
        message.journeyPhone = request.journeyPhone();
        message.journeyTokenType = request.journeyTokenType() == null ? null : request.journeyTokenType().wireName();
        boolean later = request.sendAt() != null && request.sendAt().isAfter(now);
        message.status = later ? MessageStatus.SCHEDULED : MessageStatus.ACCEPTED;
        Instant due = later ? request.sendAt() : now;
        SendWindow window = request.window();
        if (window != null) {
            message.windowFrom = window.from();
            message.windowTo = window.to();
            due = window.nextOpening(due);
        }
        message.dueAt = due;
        Fallback fallback = request.fallback();
        if (fallback != null) {
            message.fallbackPhone = fallback.phone();
            message.fallbackText = fallback.text();
            message.fallbackBrandname = fallback.brandname();
            message.fallbackUnicode = fallback.unicode();
            message.fallbackParts = (short) fallback.parts();
            message.fallbackAfterMs = fallback.after() == null ? null : fallback.after().toMillis();
        }
        message.templateChecked = request.templateChecked();
        message.storedTemplateName = request.storedTemplateName();
        message.storedTemplateVersion = request.storedTemplateVersion();
        message.createdAt = now;
        message.updatedAt = now;
        return message;
    }

    public UUID id() {
        return id;
    }

    /** A zns_journey message: whether it was checked against its ZNS template at accept (null: not one, or older). */
    public Boolean templateChecked() {
        return templateChecked;
    }

    /** The consumer whose key sent it: only that consumer sees it. */
    public UUID consumerId() {
        return consumerId;
    }

    public MessageKind kind() {
        return kind;
    }

    public String phone() {
        return phone;
    }

    public Integer templateId() {
        return templateId;
    }

    public String templateData() {
        return templateData;
    }

    public long oaId() {
        return oaId;
    }

    public String userId() {
        return userId;
    }

    public String templateType() {
        return templateType;
    }

    public String language() {
        return language;
    }

    public String zaloPayload() {
        return zaloPayload;
    }

    public boolean sandbox() {
        return sandbox;
    }

    public Instant sendAt() {
        return sendAt;
    }

    public String ext() {
        return ext;
    }

    public UUID journeyRef() {
        return journeyRef;
    }

    public String journeyPhone() {
        return journeyPhone;
    }

    public String journeyTokenType() {
        return journeyTokenType;
    }

    /** The stored template the message was made from, or null when it was written in full. */
    public String storedTemplateName() {
        return storedTemplateName;
    }

    /** The version of {@link #storedTemplateName()} it used, or null. */
    public Integer storedTemplateVersion() {
        return storedTemplateVersion;
    }

    public MessageStatus status() {
        return status;
    }

    public String providerMessageId() {
        return providerMessageId;
    }

    public String errorCode() {
        return errorCode;
    }

    /** What the failure means for what can be done next (provider/ErrorClass); null while none, or from before it was kept. */
    public String errorClass() {
        return errorClass;
    }

    /** NXCloud's own requestId, which its receipts quote (for an eSMS message, not its SMSID). */
    public String nxcloudRequestId() {
        return nxcloudRequestId;
    }

    /** Zalo's own message id, once a provider told it. */
    public String zaloMsgId() {
        return zaloMsgId;
    }

    /** The provider's answer as it came, when it was odd; {@link #providerNote()} says what was odd. */
    public String providerAnswer() {
        return providerAnswer;
    }

    public String providerNote() {
        return providerNote;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public int attempts() {
        return attempts;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    /** The Zalo attempt's status (null until a provider took it, or when it never was). */
    public AttemptStatus zaloStatus() {
        return zaloStatus == null ? null : AttemptStatus.valueOf(zaloStatus);
    }

    /** The channel that delivered, or the one in flight: zalo, sms, or null before anything left. */
    public String channel() {
        return channel;
    }

    /** The SMS fallback the message asked for, or null. */
    public Fallback fallback() {
        return fallbackText == null ? null : new Fallback(fallbackPhone, fallbackText, fallbackBrandname, Boolean.TRUE.equals(fallbackUnicode),
                fallbackParts == null ? 0 : fallbackParts, fallbackAfterMs == null ? null : java.time.Duration.ofMillis(fallbackAfterMs));
    }

    /** The SMS attempt's status (null while none was decided). */
    public AttemptStatus smsStatus() {
        return smsStatus == null ? null : AttemptStatus.valueOf(smsStatus);
    }

    public FallbackReason smsReason() {
        return FallbackReason.fromWireName(smsReason);
    }

    public String smsProviderMessageId() {
        return smsProviderMessageId;
    }

    public String smsErrorCode() {
        return smsErrorCode;
    }

    public String smsErrorMessage() {
        return smsErrorMessage;
    }

    public String smsErrorClass() {
        return smsErrorClass;
    }

    public Instant smsSubmittedAt() {
        return smsSubmittedAt;
    }

    /** Its send window (null: any time). */
    public SendWindow window() {
        return windowFrom == null || windowTo == null ? null : new SendWindow(windowFrom, windowTo);
    }

    /** The batch it came in (null: it came alone). */
    public UUID batchId() {
        return batchId;
    }

    /** Until when it waits for its OA's quota (null: not held). */
    public Instant heldUntil() {
        return heldUntil;
    }
}
