package vn.zalogateway.znstemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import vn.zalogateway.common.BackOnContext;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.ZnsTemplateInfo;
import vn.zalogateway.provider.esms.EsmsClient;
import vn.zalogateway.provider.etelecom.EtelecomClient;
import vn.zalogateway.provider.etelecom.EtelecomTemplates;

/**
 * The ZNS templates of the OAs the gateway sends for. A template younger than {@code gateway.templates.refresh} is
 * answered from memory: no database statement, no provider call (the accept path of every zns_journey message comes
 * here). A miss, or an older reading, looks in the database (another replica may have asked), then asks the providers:
 * eTelecom's GetTemplate (it sends zns_journey messages); when eTelecom answers without the template, eTelecom's
 * ListTemplates for that one template says whether the OA has it at all; when eTelecom cannot be reached or answer,
 * eSMS's GetZnsTemplateInfo (eSMS documents no answer for a template it does not know: it never says there is none). Their answer
 * is kept (in the database, with {@code checked_at}, and in memory). Questions are shared while in flight, run on their
 * own context (a caller that goes away does not cut them short), and never inside a transaction. When no provider
 * answers, the last reading stands, however old; without one the template is unknown to the gateway: unchecked.
 */
@ApplicationScoped
public class ZnsTemplates {

    /** What is known of a template: {@code template} (null when none), or that the OA has no such template. */
    public record Lookup(ZnsTemplate template, boolean absent) {

        static final Lookup UNCHECKED = new Lookup(null, false);
        static final Lookup ABSENT = new Lookup(null, true);

        /** Neither a template nor a provider's word that there is none: no provider could be asked, nothing was kept. */
        public boolean unchecked() {
            return template == null && !absent;
        }
    }

    /**
     * How long the providers' word that an OA has no such template is believed: a template created meanwhile is seen
     * after this (it is not kept in the database).
     */
    static final Duration ABSENT_FOR = Duration.ofMinutes(1);
    /** Templates remembered at most; past it memory starts again (and the database answers once more). */
    static final int MOST_REMEMBERED = 100_000;
    /** ListTemplates pages read at most for one OA. */
    static final int MOST_PAGES = 20;

    /** zns_templates.source: who answered. */
    static final String ETELECOM = "etelecom";
    static final String ESMS = "esms";

    private record Key(long oaId, long templateId) {
    }

    private final ZnsTemplateStore store;
    private final EtelecomClient etelecom;
    private final EsmsClient esms;
    private final Vertx vertx;
    private final Duration refresh;
    private final Map<Key, ZnsTemplate> remembered = new ConcurrentHashMap<>();
    private final Map<Key, Instant> absentSince = new ConcurrentHashMap<>();
    private final Map<Long, Instant> listedAt = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<Lookup>> asking = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Boolean>> listing = new ConcurrentHashMap<>();

    ZnsTemplates(ZnsTemplateStore store, EtelecomClient etelecom, EsmsClient esms, Vertx vertx, GatewayConfig config) {
        this.store = store;
        this.etelecom = etelecom;
        this.esms = esms;
        this.vertx = vertx;
        this.refresh = config.templates().refresh();
    }

    /** The template of the OA: from memory while fresh, else as above. Never fails: a failure is {@link Lookup#UNCHECKED}. */
    public Uni<Lookup> lookup(long oaId, long templateId) {
        Key key = new Key(oaId, templateId);
        Instant now = Instant.now();
        ZnsTemplate known = remembered.get(key);
        if (known != null && known.freshAt(now, refresh)) {
            return Uni.createFrom().item(new Lookup(known, false));
        }
        Instant absent = absentSince.get(key);
        if (known == null && absent != null && absent.isAfter(now.minus(ABSENT_FOR))) {
            return Uni.createFrom().item(Lookup.ABSENT);
        }
        return store.find(oaId, templateId)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("ZNS template %d of OA %d could not be read from the database (%s)", templateId, oaId, failure.toString());
                    return known;
                })
                .chain(kept -> {
                    if (kept != null && kept.freshAt(Instant.now(), refresh)) {
                        remember(kept);
                        return Uni.createFrom().item(new Lookup(kept, false));
                    }
                    return backOnContext(shared(asking, key, () -> ask(key, kept)));
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("ZNS template %d of OA %d: no reading (%s)", templateId, oaId, failure.toString());
                    return known == null ? Lookup.UNCHECKED : new Lookup(known, false);
                });
    }

    /**
     * The OA's templates as kept, eTelecom's ListTemplates asked first when the OA was not listed within
     * {@code gateway.templates.refresh}; a failing eTelecom leaves what was kept.
     */
    public Uni<List<ZnsTemplate>> list(long oaId) {
        Instant listed = listedAt.get(oaId);
        Uni<Instant> when = listed != null ? Uni.createFrom().item(listed) : store.listedAt(oaId);
        return when.chain(at -> {
            if (at != null && at.isAfter(Instant.now().minus(refresh))) {
                listedAt.put(oaId, at);
                return Uni.createFrom().voidItem();
            }
            return backOnContext(shared(listing, oaId, () -> askList(oaId))).replaceWithVoid();
        }).chain(() -> store.list(oaId));
    }

    /** Statements the store ran since the start (tests count them). */
    long statements() {
        return store.statements();
    }

    // --- Asking the providers ------------------------------------------------------------------------

    /** eTelecom, then eSMS; the answer kept. Runs on its own context. */
    private CompletionStage<Lookup> ask(Key key, ZnsTemplate kept) {
        long oaId = key.oaId();
        long templateId = key.templateId();
        return FreshContext.run(vertx, () -> etelecom.template(oaId, templateId)
                .map(info -> new Asked(info, ETELECOM))
                // eTelecom answered, but not with the template (a refusal, a 404 not_found, an odd answer): its list says
                // whether the OA has it. eTelecom out of reach (a timeout, no connection, a 5xx, an open circuit): eSMS.
                .onFailure(failure -> !(ProviderException.classify(EtelecomClient.PROVIDER, failure)
                        instanceof ProviderException.Transient)).recoverWithUni(refused -> {
                    Log.debugf("eTelecom gave no GetTemplate %d of OA %d (%s); asking ListTemplates whether the OA has it",
                            templateId, oaId, refused.getMessage());
                    return etelecom.listTemplates(oaId, templateId, null).map(page -> page.templates().stream()
                            .filter(template -> template.templateId() == templateId).findFirst()
                            .map(info -> new Asked(info, ETELECOM)).orElse(Asked.NONE));
                })
                .onFailure().recoverWithUni(failure -> {
                    Log.debugf("eTelecom gave no ZNS template %d of OA %d (%s); asking eSMS", templateId, oaId,
                            why(EtelecomClient.PROVIDER, failure));
                    return esms.template(oaId, templateId).map(info -> new Asked(info, ESMS));
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.infof("No provider described ZNS template %d of OA %d (eSMS: %s); %s", templateId, oaId,
                            why(EsmsClient.PROVIDER, failure), kept == null ? "nothing is known of it" : "the last reading stands");
                    return null;
                })
                .chain(asked -> {
                    if (asked == null) {
                        return Uni.createFrom().item(kept == null ? Lookup.UNCHECKED : remembered(kept));
                    }
                    if (asked == Asked.NONE) {
                        remembered.remove(key);
                        absentSince.put(key, Instant.now());
                        return Uni.createFrom().item(Lookup.ABSENT);
                    }
                    absentSince.remove(key);
                    ZnsTemplate template = new ZnsTemplate(oaId, asked.info(), asked.source(), Instant.now());
                    return keep(List.of(template)).replaceWith(new Lookup(template, false));
                }))
                .subscribeAsCompletionStage();
    }

    /** All of the OA's templates from ListTemplates, page after page; whether eTelecom answered. */
    private CompletionStage<Boolean> askList(long oaId) {
        Instant asked = Instant.now();
        return FreshContext.run(vertx, () -> pages(oaId, null, new ArrayList<>(), 0)
                .chain(infos -> {
                    List<ZnsTemplate> templates = infos.stream()
                            .map(info -> new ZnsTemplate(oaId, info, ETELECOM, asked)).toList();
                    return keep(templates).chain(() -> store.listed(oaId, asked)).invoke(() -> listedAt.put(oaId, asked))
                            .replaceWith(true);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.infof("eTelecom did not list the ZNS templates of OA %d (%s); what was kept stands", oaId,
                            why(EtelecomClient.PROVIDER, failure));
                    return false;
                }))
                .subscribeAsCompletionStage();
    }

    private Uni<List<ZnsTemplateInfo>> pages(long oaId, String after, List<ZnsTemplateInfo> read, int pages) {
        return etelecom.listTemplates(oaId, null, after).chain(page -> {
            read.addAll(page.templates());
            if (page.next() == null || page.next().equals(after) || pages + 1 >= MOST_PAGES) {
                return Uni.createFrom().item(read);
            }
            return pages(oaId, page.next(), read, pages + 1);
        });
    }

    /** Templates as a provider answered them: in the database (one statement, no transaction), then in memory. */
    private Uni<Void> keep(List<ZnsTemplate> templates) {
        return store.save(templates)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("ZNS templates could not be kept in the database (%s); they are remembered here only", failure.toString());
                    return null;
                })
                .invoke(() -> templates.forEach(this::remember));
    }

    private Lookup remembered(ZnsTemplate kept) {
        remember(kept);
        return new Lookup(kept, false);
    }

    private void remember(ZnsTemplate template) {
        if (remembered.size() >= MOST_REMEMBERED) {
            remembered.clear();
        }
        Key key = new Key(template.oaId(), template.templateId());
        remembered.merge(key, template, (old, fresh) -> fresh.checkedAt().isBefore(old.checkedAt()) ? old : fresh);
        absentSince.remove(key);
    }

    private static <K, V> CompletionStage<V> shared(Map<K, CompletableFuture<V>> inFlight, K key, Supplier<CompletionStage<V>> ask) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            return theirs;
        }
        CompletionStage<V> answer;
        try {
            answer = ask.get();
        } catch (RuntimeException failed) {
            answer = CompletableFuture.failedFuture(failed);
        }
        answer.whenComplete((value, failure) -> {
            inFlight.remove(key, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }

    /** The question ends on its own context: the answer comes back to the caller's. */
    private static <V> Uni<V> backOnContext(CompletionStage<V> stage) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().completionStage(stage).emitOn(task -> BackOnContext.run(context, task));
    }

    private static String why(String provider, Throwable failure) {
        return ProviderException.classify(provider, failure).getMessage();
    }

    /** A provider's answer, and who gave it; {@link #NONE}: eTelecom says the OA has no such template. */
    private record Asked(ZnsTemplateInfo info, String source) {
        static final Asked NONE = new Asked(null, null);
    }
}
