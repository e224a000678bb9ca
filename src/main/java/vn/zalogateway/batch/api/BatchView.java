package vn.zalogateway.batch.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.message.MessageStatus;

/**
 * A batch as its consumer sees it: its counts, how many of its messages are in each status now ({@code counts}, every
 * status named), and each accepted item's index, message id and status.
 */
@RegisterForReflection
public record BatchView(
        String id,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ext,
        int accepted,
        int rejected,
        Map<MessageStatus, Integer> counts,
        List<Item> items,
        OffsetDateTime createdAt) {

    /** An accepted item: its index in the request, its message, and that message's status (absent once purged). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String id, MessageStatus status) {
    }
}
