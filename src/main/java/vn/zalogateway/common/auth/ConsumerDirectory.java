package vn.zalogateway.common.auth;

import io.smallrye.mutiny.Uni;

/** Finds the consumer an API key belongs to, by the key's SHA-256; null when no live key has that hash. */
public interface ConsumerDirectory {

    Uni<ConsumerIdentity> byKeyHash(byte[] sha256);

    /** The built-in consumer {@code default}, whose keys are gateway.api-key-hashes. */
    Uni<ConsumerIdentity> builtIn();
}
