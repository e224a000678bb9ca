package vn.zalogateway.message;

import java.time.Instant;
import java.util.UUID;

import vn.zalogateway.journey.TokenType;

/**
 * A validated message request. A transaction message has {@code userId}, {@code templateType},
 * {@code language} and {@code zaloPayload} (the template as eSMS forwards it, JSON); a ZNS journey
 * message has {@code phone}, {@code templateId}, {@code templateData} (JSON) and either a journey to
 * create ({@code journeyTokenType}) or an existing one ({@code journeyId}).
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
        String fingerprint) {

    /** The phone of the journey to create first, or null when there is none to create. */
    public String journeyPhone() {
        return journeyTokenType == null ? null : phone;
    }
}
