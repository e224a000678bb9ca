package vn.zalogateway.batch.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.message.api.SendMessageRequest;

/**
 * {@code POST /v1/batches}: 1 to 1,000 message bodies, each as {@code POST /v1/messages} takes it, and the batch's own
 * {@code ext}, and no other field. Documents the body; the resource reads it as JSON itself, so that each item's mistakes
 * are its own.
 */
@RegisterForReflection
@Schema(additionalProperties = Schema.False.class)
public record CreateBatchRequest(
        @Schema(description = "1 to 1,000 message bodies, each as POST /v1/messages takes it", minItems = 1, maxItems = 1000,
                required = true) List<SendMessageRequest> messages,
        @Schema(description = "The consumer's own reference for the batch (up to 1,000 characters)", maxLength = 1000) String ext) {
}
