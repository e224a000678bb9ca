package vn.zalogateway.consumer.api;

import java.time.OffsetDateTime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A new API key, in clear this once. */
@RegisterForReflection
public record IssuedKeyView(String keyId, String apiKey, OffsetDateTime createdAt) {
}
