package vn.zalogateway.batch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to {@code POST /v1/batches/{id}/cancel}: how many of the batch's messages were cancelled by it. */
@RegisterForReflection
public record BatchCancelView(String id, int cancelled) {
}
