package vn.zalogateway.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.storedtemplate.MessageTemplates;

/**
 * The one way in for a message body as a consumer writes it, whether it comes alone ({@code POST /v1/messages},
 * {@code /validate}) or in a batch: a stored template it names filled in ({@link MessageTemplates}), the body's every
 * rule ({@link MessageRequests}), then the caller's defaults (its send window) and the caller's right to the OA. A rule
 * added here holds for every way a message is accepted. Reading may need other stores or providers (templates), so it
 * answers a {@link Uni}; it never blocks.
 */
@ApplicationScoped
public class MessageIntake {

    /** One body of many: its message, or every violation it has (an item's mistakes never fail the others). */
    public record Item(int index, NewMessage message, List<Violation> violations) {
        public boolean valid() {
            return message != null;
        }
    }

    private final GatewayConfig config;
    private final MessageTemplates templates;

    MessageIntake(GatewayConfig config, MessageTemplates templates) {
        this.config = config;
        this.templates = templates;
    }

    /**
     * One body: its message, or a failure with the 400 problem listing every violation, or the 403 for an OA that is
     * not the caller's.
     */
    public Uni<NewMessage> read(JsonNode body, ConsumerIdentity caller) {
        return readOne(body, caller, Instant.now(), config.sms().brandname().orElse(null));
    }

    /** Many bodies (a batch's): each one's message or its violations, in order; an OA not the caller's is one of them. */
    public Uni<List<Item>> readAll(List<JsonNode> bodies, ConsumerIdentity caller) {
        Instant now = Instant.now();
        String brandname = config.sms().brandname().orElse(null);
        List<Integer> indexes = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            indexes.add(i);
        }
        // One after the other: most items are read from memory, and a template read from the database is cached for the next.
        return Multi.createFrom().iterable(indexes)
                .onItem().transformToUniAndConcatenate(i -> readOne(bodies.get(i), caller, now, brandname)
                        .map(message -> caller.mayUse(message.oaId()) ? new Item(i, message, List.of())
                                : new Item(i, null, List.of(new Violation("oa_id", "is not one of this consumer's OAs"))))
                        .onFailure(ProblemException.class).recoverWithItem(failure -> {
                            ProblemException invalid = (ProblemException) failure;
                            List<Violation> violations = invalid.problem().violations();
                            return new Item(i, null, violations == null || violations.isEmpty()
                                    ? List.of(new Violation("", invalid.problem().detail())) : violations);
                        }))
                .collect().asList();
    }

    private Uni<NewMessage> readOne(JsonNode body, ConsumerIdentity caller, Instant now, String brandname) {
        if (!MessageTemplates.named(body)) {
            return Uni.createFrom().item(() -> withDefaults(MessageRequests.read(body, config.timeZone(), now, brandname), caller));
        }
        return templates.expand(caller.id(), body).map(expanded -> {
            NewMessage message;
            try {
                message = MessageRequests.read(expanded.body(), config.timeZone(), now, brandname);
            } catch (ProblemException invalid) {
                List<Violation> all = new ArrayList<>(expanded.dataViolations());
                List<Violation> found = invalid.problem().violations();
                all.addAll(expanded.explain(found == null ? List.of() : found));
                throw all.isEmpty() ? invalid : ProblemException.invalid(all);
            }
            if (!expanded.dataViolations().isEmpty()) {
                throw ProblemException.invalid(expanded.dataViolations());
            }
            return withDefaults(message.fromTemplate(expanded.name(), expanded.version(),
                    MessageRequests.canonical(body).toString()), caller);
        });
    }

    /** The caller's default send window for a message that names none. */
    private static NewMessage withDefaults(NewMessage message, ConsumerIdentity caller) {
        return message.window() != null || caller.sendWindow() == null ? message : message.with(message.fallback(), caller.sendWindow());
    }
}
