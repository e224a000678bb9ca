package vn.zalogateway.provider.etelecom;

import java.time.Instant;

/**
 * A journey token eTelecom created, every value bounded to what the gateway keeps. {@code expiresAt},
 * {@code createdAt} and {@code updatedAt} are null when eTelecom gave no readable time; {@code phone} is the one
 * eTelecom linked the token to, as it wrote it.
 */
public record CreatedJourney(
        String providerId,
        String journeyId,
        String journeyToken,
        String providerStatus,
        boolean charged,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt,
        String phone) {
}
