package vn.zalogateway.consumer.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.consumer.ConsumerService;

/**
 * A consumer as administrators see it. Its key and callback secret appear once, in the answer that
 * made them ({@code api_key}, {@code callback_secret}), and never again.
 */
@RegisterForReflection
public record ConsumerView(
        String id,
        String name,
        List<String> oaIds,
        String callbackUrl,
        Integer rateLimitPerSecond,
        @JsonInclude(JsonInclude.Include.NON_NULL) Window sendWindow,
        boolean builtIn,
        List<Key> keys,
        @JsonInclude(JsonInclude.Include.NON_NULL) String apiKey,
        @JsonInclude(JsonInclude.Include.NON_NULL) String keyId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String callbackSecret,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** A send window: HH:mm, Asia/Ho_Chi_Minh; {@code from} after {@code to} spans midnight. */
    @RegisterForReflection
    public record Window(String from, String to) {
    }

    /** A key, by its id: the key itself is known only to whoever was given it. */
    @RegisterForReflection
    public record Key(String keyId, OffsetDateTime createdAt, @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime revokedAt) {
    }

    public static ConsumerView of(ConsumerService.ConsumerRecord consumer, ZoneId zone) {
        return of(consumer, null, null, null, zone);
    }

    public static ConsumerView of(ConsumerService.Created created, ZoneId zone) {
        return of(created.consumer(), created.keyId().toString(), created.apiKey(), created.callbackSecret(), zone);
    }

    private static ConsumerView of(ConsumerService.ConsumerRecord consumer, String keyId, String apiKey, String secret, ZoneId zone) {
        return new ConsumerView(consumer.id().toString(), consumer.name(),
                consumer.allOas() ? List.of("*") : consumer.oaIds().stream().map(String::valueOf).toList(),
                consumer.callbackUrl(), consumer.rateLimitPerSecond(),
                consumer.sendWindow() == null ? null : new Window(consumer.sendWindow().fromText(), consumer.sendWindow().toText()),
                consumer.builtIn(),
                consumer.keys().stream().map(key -> new Key(key.id().toString(), Timestamps.at(key.createdAt(), zone),
                        Timestamps.at(key.revokedAt(), zone))).toList(),
                apiKey, keyId, secret, Timestamps.at(consumer.createdAt(), zone), Timestamps.at(consumer.updatedAt(), zone));
    }
}
