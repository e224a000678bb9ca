package vn.zalogateway.batch.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.problem.Violation;

/**
 * The 202 to {@code POST /v1/batches}: how many items were accepted and rejected, and each item by its index: the id of
 * its message, or every violation it has. {@code items} is the JSON the batch first answered (kept with the batch), so
 * that a replay answers it again to the byte.
 */
@RegisterForReflection
public record BatchAnswer(
        String id,
        int accepted,
        int rejected,
        @JsonRawValue @Schema(implementation = Item[].class) String items) {

    /** One item of the batch: its index in {@code messages}, and its message's id or its violations. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String id, List<Violation> violations) {
    }
}
