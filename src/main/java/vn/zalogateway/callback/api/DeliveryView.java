package vn.zalogateway.callback.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.callback.CallbackEvents;
import vn.zalogateway.common.Timestamps;

/** One status callback as its consumer's delivery log shows it. */
@RegisterForReflection
public record DeliveryView(String id, String eventType, String subjectId, int sequence, String status, int attempts,
        Integer lastStatusCode, String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
        OffsetDateTime deliveredAt) {

    public static DeliveryView of(CallbackEvents.Delivery delivery, ZoneId zone) {
        return new DeliveryView(delivery.id().toString(), delivery.eventType(), delivery.subjectId().toString(),
                delivery.sequence(), delivery.status(), delivery.attempts(), delivery.lastStatusCode(), delivery.lastError(),
                Timestamps.at(delivery.nextAttemptAt(), zone), Timestamps.at(delivery.createdAt(), zone),
                Timestamps.at(delivery.deliveredAt(), zone));
    }
}
