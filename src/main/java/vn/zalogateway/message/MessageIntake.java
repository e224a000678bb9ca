package vn.zalogateway.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.storedtemplate.MessageTemplates;
import vn.zalogateway.znstemplate.ZnsTemplateRules;
import vn.zalogateway.znstemplate.ZnsTemplates;

/**
 * The one way in for a message body as a consumer writes it, whether it comes alone ({@code POST /v1/messages},
 * {@code /validate}) or in a batch: a stored template it names filled in ({@link MessageTemplates}), the body's every
 * rule ({@link MessageRequests}), a zns_journey message's parameters against its ZNS template ({@link ZnsTemplates}),
 * then the caller's defaults (its send window) and the caller's right to the OA. A rule
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
    private final MessageTemplates storedTemplates;
    private final ZnsTemplates znsTemplates;

    MessageIntake(GatewayConfig config, MessageTemplates storedTemplates, ZnsTemplates znsTemplates) {
        this.config = config;
        this.storedTemplates = storedTemplates;
        this.znsTemplates = znsTemplates;
    }

    /**
     * One body: its message, or a failure with the 400 problem listing every violation (a zns_journey message's
     * parameters against its ZNS template among them), the 422 for a template that is not ENABLE, or the 403 for an
     * OA that is not the caller's.
     */
    public Uni<NewMessage> read(JsonNode body, ConsumerIdentity caller) {
        return readOne(body, caller, Instant.now(), config.sms().brandname().orElse(null))
                .chain(message -> !needsTemplate(message, caller) ? Uni.createFrom().item(message)
                        : znsTemplates.lookup(message.oaId(), message.templateId())
                                .map(lookup -> checked(message, lookup, body.get("template_data"))));
    }

    /** A zns_journey message of an OA the caller may use is checked against its template (another's gets its 403). */
    private static boolean needsTemplate(NewMessage message, ConsumerIdentity caller) {
        return message.kind() == MessageKind.ZNS_JOURNEY && message.templateId() != null && caller.mayUse(message.oaId());
    }

    /**
     * The message checked against its ZNS template: marked checked, or refused (unknown template: 400 on template_id;
     * not ENABLE: 422; parameters: 400 listing each); marked unchecked when no provider could be asked and nothing was
     * known.
     */
    private static NewMessage checked(NewMessage message, ZnsTemplates.Lookup lookup, JsonNode templateData) {
        if (lookup.unchecked()) {
            return message.withTemplateChecked(false);
        }
        if (lookup.absent()) {
            throw ZnsTemplateRules.unknown(message.oaId(), message.templateId());
        }
        ProblemException refusal = ZnsTemplateRules.refusal(message.oaId(), lookup.template().info(), templateData);
        if (refusal != null) {
            throw refusal;
        }
        return message.withTemplateChecked(true);
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
                .collect().asList()
                .chain(items -> withTemplates(items, bodies, caller));
    }

    /** Each item's template asked once per distinct template (from memory while fresh), then each item checked against it. */
    private Uni<List<Item>> withTemplates(List<Item> items, List<JsonNode> bodies, ConsumerIdentity caller) {
        Map<List<Long>, Uni<ZnsTemplates.Lookup>> asked = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.valid() && needsTemplate(item.message(), caller)) {
                asked.computeIfAbsent(List.of(item.message().oaId(), (long) item.message().templateId()),
                        key -> znsTemplates.lookup(key.get(0), key.get(1)));
            }
        }
        if (asked.isEmpty()) {
            return Uni.createFrom().item(items);
        }
        List<List<Long>> keys = new ArrayList<>(asked.keySet());
        return Uni.join().all(new ArrayList<>(asked.values())).andFailFast().map(lookups -> {
            Map<List<Long>, ZnsTemplates.Lookup> byKey = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                byKey.put(keys.get(i), lookups.get(i));
            }
            List<Item> checked = new ArrayList<>(items.size());
            for (Item item : items) {
                ZnsTemplates.Lookup lookup = item.valid() && needsTemplate(item.message(), caller)
                        ? byKey.get(List.of(item.message().oaId(), (long) item.message().templateId())) : null;
                if (lookup == null) {
                    checked.add(item);
                    continue;
                }
                try {
                    checked.add(new Item(item.index(), checked(item.message(), lookup, bodies.get(item.index()).get("template_data")),
                            List.of()));
                } catch (ProblemException refused) {
                    List<Violation> violations = refused.problem().violations();
                    checked.add(new Item(item.index(), null, violations == null || violations.isEmpty()
                            ? List.of(new Violation("template_id", refused.problem().detail())) : violations));
                }
            }
            return checked;
        });
    }

    private Uni<NewMessage> readOne(JsonNode body, ConsumerIdentity caller, Instant now, String brandname) {
        if (!MessageTemplates.named(body)) {
            return Uni.createFrom().item(() -> withDefaults(MessageRequests.read(body, config.timeZone(), now, brandname), caller));
        }
        return storedTemplates.expand(caller.id(), body).map(expanded -> {
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
            return withDefaults(message.fromTemplate(expanded.name(), expanded.version()), caller);
        });
    }

    /** The caller's default send window for a message that names none. */
    private static NewMessage withDefaults(NewMessage message, ConsumerIdentity caller) {
        return message.window() != null || caller.sendWindow() == null ? message : message.with(message.fallback(), caller.sendWindow());
    }
}
