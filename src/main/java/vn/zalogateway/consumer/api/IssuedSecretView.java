package vn.zalogateway.consumer.api;

import java.time.OffsetDateTime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A new callback secret, in clear this once; the previous ones sign beside it until {@code previous_retires_at}. */
@RegisterForReflection
public record IssuedSecretView(String callbackSecret, OffsetDateTime createdAt, OffsetDateTime previousRetiresAt) {
}
