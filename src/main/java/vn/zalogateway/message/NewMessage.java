package vn.zalogateway.message;

import java.time.Instant;
import java.util.UUID;

import vn.zalogateway.journey.TokenType;

/**
 * A validated message request. {@code zaloPayload} is the template as eSMS will forward it (JSON);
 * a message has either a journey to create ({@code journeyPhone}) or an existing one ({@code journeyId}), or neither.
 */
public record NewMessage(
        long oaId,
        String userId,
        String templateType,
        String language,
        String zaloPayload,
        boolean sandbox,
        Instant sendAt,
        String ext,
        UUID journeyId,
        String journeyPhone,
        TokenType journeyTokenType,
        String fingerprint) {
}
