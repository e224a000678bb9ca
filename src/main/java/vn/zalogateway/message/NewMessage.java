package vn.zalogateway.message;

import java.time.Instant;
import java.util.UUID;

import vn.zalogateway.common.SendWindow;
import vn.zalogateway.journey.TokenType;

/**
 * A validated message request. A transaction message has {@code userId}, {@code templateType},
 * {@code language} and {@code zaloPayload} (the template as eSMS forwards it, JSON); a ZNS journey
 * message has {@code phone}, {@code templateId}, {@code templateData} (JSON) and either a journey to
 * create ({@code journeyTokenType}) or an existing one ({@code journeyId}), and whether it was checked against its
 * template ({@code templateChecked}; null for a transaction message). Either may have a {@code fallback} SMS and
 * a send {@code window} (null: any time). A transaction message made from a stored template names it
 * ({@code storedTemplateName}, {@code storedTemplateVersion}; null otherwise).
 */
public record NewMessage(
        MessageKind kind,
        long oaId,
        String userId,
        String templateType,
        String language,
        String zaloPayload,
        String phone,
        Integer templateId,
        String templateData,
        boolean sandbox,
        Instant sendAt,
        String ext,
        UUID journeyId,
        TokenType journeyTokenType,
        Fallback fallback,
        SendWindow window,
        Boolean templateChecked,
        String storedTemplateName,
        Integer storedTemplateVersion) {

    NewMessage(MessageKind kind, long oaId, String userId, String templateType, String language, String zaloPayload, String phone,
            Integer templateId, String templateData, boolean sandbox, Instant sendAt, String ext, UUID journeyId,
            TokenType journeyTokenType) {
        this(kind, oaId, userId, templateType, language, zaloPayload, phone, templateId, templateData, sandbox, sendAt, ext, journeyId,
                journeyTokenType, null, null, null, null, null);
    }

    /** The same request with its fallback and send window. */
    NewMessage with(Fallback fallback, SendWindow window) {
        return new NewMessage(kind, oaId, userId, templateType, language, zaloPayload, phone, templateId, templateData, sandbox, sendAt,
                ext, journeyId, journeyTokenType, fallback, window, templateChecked, storedTemplateName,
                storedTemplateVersion);
    }

    /** The same request, checked against its ZNS template at accept or not (no provider could be asked, nothing known). */
    NewMessage withTemplateChecked(boolean checked) {
        return new NewMessage(kind, oaId, userId, templateType, language, zaloPayload, phone, templateId, templateData, sandbox, sendAt,
                ext, journeyId, journeyTokenType, fallback, window, checked, storedTemplateName, storedTemplateVersion);
    }

    /** The same request, made from that stored template's version. */
    NewMessage fromTemplate(String name, int version) {
        return new NewMessage(kind, oaId, userId, templateType, language, zaloPayload, phone, templateId, templateData, sandbox, sendAt,
                ext, journeyId, journeyTokenType, fallback, window, templateChecked, name, version);
    }

    /** The phone of the journey to create first, or null when there is none to create. */
    public String journeyPhone() {
        return journeyTokenType == null ? null : phone;
    }
}
