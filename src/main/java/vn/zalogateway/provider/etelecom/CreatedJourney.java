package vn.zalogateway.provider.etelecom;

import java.time.Instant;

/** A journey token eTelecom created. {@code expiresAt} is null when eTelecom gave no readable expiry. */
public record CreatedJourney(
        String providerId,
        String journeyId,
        String journeyToken,
        String providerStatus,
        boolean charged,
        Instant expiresAt) {
}
