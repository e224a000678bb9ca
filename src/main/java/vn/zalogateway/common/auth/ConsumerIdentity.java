package vn.zalogateway.common.auth;

import java.util.Set;
import java.util.UUID;

import vn.zalogateway.common.SendWindow;

/**
 * Who is calling: a consumer (one calling system), the OAs it may use, and its name for logs. Every
 * journey and message belongs to one; every query is scoped by {@code id}. {@code rateLimitPerSecond}
 * null: the gateway's default limit; {@code sendWindow} the default window of its messages (null: any time).
 */
public record ConsumerIdentity(UUID id, String name, boolean allOas, Set<Long> oaIds, Integer rateLimitPerSecond,
        SendWindow sendWindow) {

    /** The built-in consumer that owns the keys of gateway.api-key-hashes and every row made before consumers existed. */
    public static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-7000-8000-000000000001");
    public static final ConsumerIdentity DEFAULT = new ConsumerIdentity(DEFAULT_ID, "default", true, Set.of(), null);

    public ConsumerIdentity {
        oaIds = Set.copyOf(oaIds);
    }

    /** A consumer without a default send window. */
    public ConsumerIdentity(UUID id, String name, boolean allOas, Set<Long> oaIds, Integer rateLimitPerSecond) {
        this(id, name, allOas, oaIds, rateLimitPerSecond, null);
    }

    public boolean mayUse(long oaId) {
        return allOas || oaIds.contains(oaId);
    }
}
