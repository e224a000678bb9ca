package vn.zalogateway.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * eTelecom, eSMS and NXCloud in one Vert.x router: it answers the calls the gateway makes and then,
 * after {@link SimulatorSettings#receiptDelay()}, calls the gateway's webhooks as those providers
 * would. Nothing here blocks; every wait is a Vert.x timer.
 * <p>
 * Paths mirror the real services under the mount point: {@value #ETELECOM_BASE},
 * {@value #ESMS_BASE}, {@value #ESMS_STATUS_BASE}, plus {@value #SETTINGS} to read and change the
 * knobs while it runs and {@value #COUNTS} for what it has done. Mounted at {@code /simulator} of the
 * dev app by {@link DevSimulator}, or served on its own port ({@link #listen(int)}) by tests and
 * benchmarks.
 */
public final class ProviderSimulator implements AutoCloseable {

    public static final String ETELECOM_BASE = "/etelecom/v1/shop.Zalo";
    public static final String ESMS_BASE = "/esms/MainService.svc/json";
    public static final String ESMS_STATUS_BASE = "/esms-status";
    public static final String SETTINGS = "/settings";
    public static final String COUNTS = "/counts";
    /** A consumer's callback receiver for dev mode: POSTs are kept (the latest 50) and listed by GET. */
    public static final String CALLBACKS = "/callbacks";
    private static final int CALLBACKS_KEPT = 50;

    private static final Logger LOG = Logger.getLogger(ProviderSimulator.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PROBLEM = "application/problem+json";
    /** Providers' bodies are small; the gateway's own limit is 64 KiB. */
    private static final int LARGEST_BODY = 64 * 1024;
    /** How often a receipt is tried before the simulator gives up on it (NXCloud keeps trying for an hour). */
    private static final int ATTEMPTS = 5;
    /** eSMS's longest RequestId (its public docs). */
    private static final int LONGEST_REQUEST_ID = 50;
    /** Zalo's "account does not exist", which eTelecom relays when Zalo refuses a journey message (the simulator's reading). */
    private static final int ZALO_ACCOUNT_MISSING = -118;
    /** What the simulator remembers (RequestIds, callbacks for GetCallback) before it starts again, to stay bounded. */
    private static final int MOST_REMEMBERED = 200_000;

    private final Vertx vertx;
    private final HttpClient webhooks;
    /** Outages on demand ({@value SimulatorFaults#PATH}) and the record of what was done to each message ({@value SimulatorJournal#PATH}). */
    private final SimulatorFaults faults;
    private final SimulatorJournal journal = new SimulatorJournal();
    private final AtomicReference<SimulatorSettings> settings;
    private final Map<String, ProviderBodies.Message> messagesByRequestId = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> callbacksBySmsId = new ConcurrentHashMap<>();
    private final Map<String, ProviderBodies.Sms> smsByRequestId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> quotaUsedByOa = new ConcurrentHashMap<>();
    private final Map<String, Token> tokensByJourneyId = new ConcurrentHashMap<>();
    private final java.util.Deque<JsonObject> callbacksReceived = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** When the simulated OAs were connected to the simulated eTelecom shop: this simulator's start. */
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** A token eTelecom issued: whose it is, until when, and whether a message has used it (then it is charged). */
    private record Token(ProviderBodies.Journey journey, Instant expiresAt, AtomicBoolean used) {
    }

    /** What the simulator has done so far: provider calls answered, receipts the webhooks took or never took. */
    public record Counts(long journeys, long messages, long sms, long receiptsTaken, long receiptsAbandoned) {
    }

    private final AtomicLong journeys = new AtomicLong();
    /** Template questions answered (GetTemplate, ListTemplates, GetZnsTemplateInfo). */
    private final AtomicLong templateCalls = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong smsSent = new AtomicLong();
    private final AtomicLong receiptsTaken = new AtomicLong();
    private final AtomicLong receiptsAbandoned = new AtomicLong();

    /**
     * One receipt on its way to a webhook: a JSON POST (NXCloud) or a GET with a query (eSMS). The
     * JSON is written when the receipt is due, so that its times are those of its sending.
     */
    private record Callback(String description, HttpMethod method, String url, Supplier<JsonObject> json) {
    }

    public ProviderSimulator(Vertx vertx, SimulatorSettings settings) {
        this.vertx = vertx;
        this.settings = new AtomicReference<>(settings);
        this.faults = new SimulatorFaults(vertx);
        this.webhooks = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(32));
    }

    public Counts counts() {
        return new Counts(journeys.get(), messages.get(), smsSent.get(), receiptsTaken.get(), receiptsAbandoned.get());
    }

    public SimulatorSettings settings() {
        return settings.get();
    }

    public void settings(SimulatorSettings changed) {
        settings.set(changed);
    }

    /** The routes, relative to wherever they are mounted. */
    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(LARGEST_BODY));
        router.route().handler(faults::intercept);
        faults.routes(router);
        journal.routes(router);
        router.post(ETELECOM_BASE + "/CreateJourney").handler(this::createJourney);
        router.post(ETELECOM_BASE + "/SendZNSJourney").handler(this::sendZnsJourney);
        router.post(ESMS_BASE + "/SendZaloFollowerMessage_V5_post_json/").handler(this::sendZaloFollowerMessage);
        router.post(ESMS_BASE + "/SendMultipleMessage_V4_post_json/").handler(this::sendSms);
        router.post(ESMS_STATUS_BASE + "/ZaloCallback/GetCallback").handler(this::getCallback);
        router.post(ESMS_BASE + "/ZNS/GetQuota/").handler(this::getQuota);
        router.post(ETELECOM_BASE + "/GetShopOA").handler(this::getShopOa);
        router.post(ETELECOM_BASE + "/GetTemplate").handler(this::getTemplate);
        router.post(ETELECOM_BASE + "/ListTemplates").handler(this::listTemplates);
        router.get(ESMS_BASE + "/GetZnsTemplateInfo").handler(this::getZnsTemplateInfo);
        router.get(SETTINGS).handler(context -> answer(context, 200, JSON, describe(), false));
        router.get(COUNTS).handler(context -> {
            Counts counts = counts();
            answer(context, 200, JSON, new JsonObject().put("journeys", counts.journeys()).put("messages", counts.messages())
                    .put("sms", counts.sms()).put("template_calls", templateCalls.get())
                    .put("receipts_taken", counts.receiptsTaken()).put("receipts_abandoned", counts.receiptsAbandoned()).encode(), false);
        });
        router.put(SETTINGS).handler(this::changeSettings);
        router.post(CALLBACKS).handler(this::receiveCallback);
        router.get(CALLBACKS).handler(context -> answer(context, 200, JSON,
                new JsonArray(new ArrayList<>(callbacksReceived)).encode(), false));
        return router;
    }

    /** Serves {@link #router()} on its own port of 127.0.0.1 (0 for any free one). */
    public Future<HttpServer> listen(int port) {
        return vertx.createHttpServer().requestHandler(router()).listen(port, "127.0.0.1");
    }

    @Override
    public void close() {
        webhooks.close();
    }

    // --- eTelecom ---------------------------------------------------------------------------------

    private void createJourney(RoutingContext context) {
        if (refusedAsEtelecom(context)) {
            return;
        }
        JsonObject call = jsonBody(context);
        String oaId = call == null ? null : text(call.getValue("oa_id"));
        String phone = call == null ? null : text(call.getValue("phone"));
        String tokenType = call == null ? null : text(call.getValue("token_type"));
        if (call == null) {
            etelecomError(context, 400, "invalid_argument", "the body is not a JSON object");
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "oa_id must be an int64");
        } else if (phone == null || !phone.matches("\\d{9,15}")) {
            etelecomError(context, 400, "invalid_argument", "phone must be a phone number");
        } else if (tokenType != null && !tokenType.matches("unknown|token_(logistics|coach_bus)_(7|30)")) {
            etelecomError(context, 400, "invalid_argument", "token_type is not a known value");
        } else if (chance(settings().failureRate())) {
            answer(context, 200, JSON, ProviderBodies.refusedJourney(phone).encode(), true);
        } else {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            ProviderBodies.Journey journey = new ProviderBodies.Journey(
                    Long.toString(random.nextLong(1_000_000_000_000_000L, Long.MAX_VALUE)),
                    Long.toString(random.nextLong(1_000_000_000_000_000L, Long.MAX_VALUE)),
                    HexFormat.of().formatHex(randomBytes(16)), oaId, phone);
            SimulatorSettings current = settings();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            int days = tokenType != null && tokenType.endsWith("_30") ? 30 : 7;
            Duration lifetime = current.tokenLifetime().isZero() ? Duration.ofDays(days) : current.tokenLifetime();
            Token token = new Token(journey, now.plus(lifetime), new AtomicBoolean());
            remember(tokensByJourneyId, journey.journeyId(), token);
            answer(context, 200, JSON, ProviderBodies.createdJourney(journey, now, token.expiresAt()).encode(), true);
            journeys.incrementAndGet();
            LOG.debugf("simulator: eTelecom created journey %s (%s, expires %s)", journey.journeyId(),
                    tokenType == null ? "token_logistics_7" : tokenType, token.expiresAt());
            timeOutIfNeverUsed(token, lifetime, current);
        }
    }

    /**
     * A token is charged when its first message goes, not when it is created: one never used before it expires brings
     * NXCloud's {@code journey_time_out}, one receipt delay after its expiry; a used one never does.
     */
    private void timeOutIfNeverUsed(Token token, Duration lifetime, SimulatorSettings now) {
        if (!now.receipts().contains(SimulatedReceipt.JOURNEY_TIME_OUT)) {
            return;
        }
        ProviderBodies.Journey journey = token.journey();
        later(lifetime.plus(now.receiptDelay()).toMillis(), () -> {
            if (token.used().get()) {
                LOG.debugf("simulator: journey %s expired after it was used: no journey_time_out", journey.journeyId());
                return;
            }
            sendNow(nxcloud("journey_time_out of journey " + journey.journeyId(), now.nxcloudWebhookUrl(),
                    () -> ProviderBodies.journeyTimedOut(journey, Instant.now())), now);
        });
    }

    /**
     * eTelecom's SendZNSJourney: a ZNS journey message with a token this simulator issued, to the token's phone. Its
     * {@code msg_id} is Zalo's message id. Then NXCloud's receipts for it, quoting NXCloud's own requestId, with the
     * msg_id in {@code zaloRes.data.msg_id} of {@code success}: success, delivered, and for the token's first message
     * journey_acknowledged, when its charging starts. A message Zalo refuses is refused in the answer (Zalo's error
     * relayed: the simulator's reading, eTelecom documents no codes) and NXCloud reports it {@code failed}. Business
     * refusals are HTTP 200 with a non-zero error_code, as CreateJourney's.
     */
    private void sendZnsJourney(RoutingContext context) {
        if (refusedAsEtelecom(context)) {
            return;
        }
        JsonObject call = jsonBody(context);
        if (call == null) {
            etelecomError(context, 400, "invalid_argument", "the body is not a JSON object");
            return;
        }
        String oaId = text(call.getValue("oa_id"));
        String journeyId = text(call.getValue("journey_id"));
        String phone = text(call.getValue("phone"));
        Object templateId = call.getValue("template_id");
        String trackingId = text(call.getValue("tracking_id"));
        Token token = journeyId == null ? null : tokensByJourneyId.get(journeyId);
        if (oaId == null || !oaId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "oa_id must be an int64");
        } else if (!(templateId instanceof Integer || templateId instanceof Long) || ((Number) templateId).longValue() < 1) {
            etelecomError(context, 400, "invalid_argument", "template_id must be a positive integer");
        } else if (!(call.getValue("template_data") instanceof JsonObject)) {
            etelecomError(context, 400, "invalid_argument", "template_data must be an object");
        } else if (token == null || !token.journey().oaId().equals(oaId)) {
            refuseZns(context, journeyId, 2, "journey not found");
        } else if (!token.journey().phone().equals(phone)) {
            refuseZns(context, journeyId, 3, "phone does not match the journey");
        } else if (!Instant.now().isBefore(token.expiresAt())) {
            refuseZns(context, journeyId, 4, "journey token expired");
        } else {
            SimulatorSettings current = settings();
            ProviderBodies.Message message = new ProviderBodies.Message(null, trackingId, nxcloudRequestId(), oaId, phone,
                    null, chance(current.failureRate()));
            if (message.fails()) {
                // Zalo refused it at once: eTelecom says so, nothing is charged, the token stays unused; NXCloud's
                // failed quotes only its own requestId (zaloRes.data is null).
                refuseZns(context, journeyId, ZALO_ACCOUNT_MISSING, "Zalo account not existed");
                LOG.debugf("simulator: eTelecom refused journey message %s on journey %s (Zalo -118)", trackingId, journeyId);
                sendLater(messageReceipts(message, null, current), current);
                return;
            }
            boolean first = token.used().compareAndSet(false, true);
            String msgId = zaloMsgId();
            message = new ProviderBodies.Message(msgId, trackingId, message.nxcloudRequestId(), oaId, phone, msgId, false);
            answer(context, 200, JSON, ProviderBodies.sentZnsJourney(UUID.randomUUID().toString(), msgId, token.journey(),
                    first, Instant.now()).encode(), true);
            messages.incrementAndGet();
            LOG.debugf("simulator: eTelecom sent journey message %s on journey %s%s", msgId, journeyId,
                    first ? " (its first: charging starts)" : "");
            List<Callback> receipts = messageReceipts(message, null, current);
            if (first && current.receipts().contains(SimulatedReceipt.JOURNEY_ACKNOWLEDGED)) {
                String requestId = message.nxcloudRequestId();
                receipts.add(nxcloud("journey_acknowledged of journey " + journeyId, current.nxcloudWebhookUrl(),
                        () -> ProviderBodies.journeyAcknowledged(token.journey(), requestId, Instant.now())));
            }
            sendLater(receipts, current);
        }
    }

    /**
     * eTelecom's GetShopOA: the OA as connected to the shop, with its quota today from the simulator's bookkeeping
     * ({@code daily_quota} less what its messages used).
     */
    private void getShopOa(RoutingContext context) {
        if (refusedAsEtelecom(context)) {
            return;
        }
        JsonObject call = jsonBody(context);
        String oaId = call == null ? null : text(call.getValue("oa_id"));
        if (call == null) {
            etelecomError(context, 400, "invalid_argument", "the body is not a JSON object");
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "oa_id must be an int64");
        } else {
            SimulatorSettings current = settings();
            answer(context, 200, JSON, ProviderBodies.shopOa(oaId, current.dailyQuota(), quotaLeft(oaId, 0, current),
                    started).encode(), true);
        }
    }

    /**
     * eTelecom's GetTemplate: one of {@link ProviderBodies#TEMPLATES} (every simulated OA has them all); another id is
     * refused as HTTP 404 {@code not_found} (the simulator's reading: eTelecom's errors are {@code {"code","msg"}}).
     */
    private void getTemplate(RoutingContext context) {
        if (refusedAsEtelecom(context)) {
            return;
        }
        JsonObject call = jsonBody(context);
        String oaId = call == null ? null : text(call.getValue("oa_id"));
        String templateId = call == null ? null : text(call.getValue("template_id"));
        ProviderBodies.Template template = templateId == null ? null : template(templateId);
        if (call == null) {
            etelecomError(context, 400, "invalid_argument", "the body is not a JSON object");
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "oa_id must be an int64");
        } else if (templateId == null || !templateId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "template_id must be an int64");
        } else if (template == null) {
            etelecomError(context, 404, "not_found", "template not found");
        } else {
            templateCalls.incrementAndGet();
            answer(context, 200, JSON, ProviderBodies.etelecomTemplate(template).encode(), true);
        }
    }

    /**
     * eTelecom's ListTemplates: the OA's templates by id, {@code filter.template_id} narrowing to one (none when it is
     * not one of them), {@code paging.limit} a page (default 100) and {@code paging.after} the previous page's next.
     */
    private void listTemplates(RoutingContext context) {
        if (refusedAsEtelecom(context)) {
            return;
        }
        JsonObject call = jsonBody(context);
        JsonObject filter = call == null ? null : call.getValue("filter") instanceof JsonObject object ? object : null;
        JsonObject paging = call == null ? new JsonObject() : call.getValue("paging") instanceof JsonObject object ? object : new JsonObject();
        String oaId = filter == null ? null : text(filter.getValue("oa_id"));
        String only = filter == null ? null : text(filter.getValue("template_id"));
        String after = text(paging.getValue("after"));
        int limit = paging.getValue("limit") instanceof Number number && number.intValue() > 0 ? Math.min(number.intValue(), 100) : 100;
        if (call == null) {
            etelecomError(context, 400, "invalid_argument", "the body is not a JSON object");
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            etelecomError(context, 400, "invalid_argument", "filter.oa_id must be an int64");
        } else {
            List<ProviderBodies.Template> matching = ProviderBodies.TEMPLATES.stream()
                    .filter(t -> only == null || Long.toString(t.id()).equals(only))
                    .filter(t -> after == null || !after.matches("\\d{1,18}") || t.id() > Long.parseLong(after))
                    .toList();
            List<ProviderBodies.Template> page = matching.subList(0, Math.min(limit, matching.size()));
            String next = matching.size() > page.size() ? Long.toString(page.get(page.size() - 1).id()) : null;
            templateCalls.incrementAndGet();
            answer(context, 200, JSON, ProviderBodies.etelecomTemplates(page, next, limit).encode(), true);
        }
    }

    private static ProviderBodies.Template template(String id) {
        return ProviderBodies.TEMPLATES.stream().filter(t -> Long.toString(t.id()).equals(id)).findFirst().orElse(null);
    }

    // --- eSMS templates ---------------------------------------------------------------------------

    /**
     * eSMS's GetZnsTemplateInfo ({@code GET ?TemplateId=&ApiKey=&SecretKey=&OAId=}): one of the simulated templates;
     * 101 without credentials, 204 for an OAId that is no int64, and for another template id 110 (the simulator's
     * reading: eSMS documents no answer for it).
     */
    private void getZnsTemplateInfo(RoutingContext context) {
        if (unavailable()) {
            answer(context, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>", true);
            return;
        }
        String oaId = context.request().getParam("OAId");
        String templateId = context.request().getParam("TemplateId");
        ProviderBodies.Template template = templateId == null ? null : template(templateId);
        if (isBlank(context.request().getParam("ApiKey")) || isBlank(context.request().getParam("SecretKey"))) {
            answer(context, 200, JSON, ProviderBodies.esmsQuotaRefused("101", "Authorize Failed").encode(), true);
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            answer(context, 200, JSON, ProviderBodies.esmsQuotaRefused("204", "OAID not found").encode(), true);
        } else if (template == null) {
            answer(context, 200, JSON, ProviderBodies.esmsQuotaRefused("110", "TemplateId not found").encode(), true);
        } else {
            templateCalls.incrementAndGet();
            answer(context, 200, JSON, ProviderBodies.esmsTemplateInfo(template).encode(), true);
        }
    }

    private void refuseZns(RoutingContext context, String journeyId, int code, String message) {
        answer(context, 200, JSON, ProviderBodies.refusedZnsJourney(journeyId, code, message).encode(), true);
    }

    /**
     * What eTelecom refuses before it reads a call, for every method alike: no Bearer key (401), another
     * Content-Type (404 bad_route), or a simulated outage (503). True when it answered so.
     */
    private boolean refusedAsEtelecom(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.substring(7).isBlank()) {
            etelecomError(context, 401, "unauthenticated", "missing or invalid Authorization: Bearer <api_key>");
        } else if (!contentType(context).startsWith("application/json")) {
            etelecomError(context, 404, "bad_route", "no handler for Content-Type " + contentType(context));
        } else if (unavailable()) {
            etelecomError(context, 503, "unavailable", "service is temporarily unavailable (simulated)");
        } else {
            return false;
        }
        return true;
    }

    private void etelecomError(RoutingContext context, int status, String code, String message) {
        answer(context, status, JSON, ProviderBodies.etelecomError(code, message).encode(), true);
    }

    // --- eSMS -------------------------------------------------------------------------------------

    private void sendZaloFollowerMessage(RoutingContext context) {
        // eSMS's quirk: the JSON body must be labelled text/plain.
        if (!contentType(context).startsWith("text/plain")) {
            answer(context, 400, "text/plain", "eSMS reads SendZaloFollowerMessage_V5_post_json only as Content-Type: text/plain", true);
            return;
        }
        if (unavailable()) {
            answer(context, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>", true);
            return;
        }
        JsonObject send = jsonBody(context);
        if (send == null) {
            answer(context, 400, "text/plain", "The request body is not JSON", true);
            return;
        }
        String oaId = text(send.getValue("OAID"));
        String requestId = text(send.getValue("RequestId"));
        String callbackUrl = text(send.getValue("CallbackUrl"));
        JsonObject payload = send.getValue("Payload") instanceof JsonObject object ? object : new JsonObject();
        String userId = text(payload.getJsonObject("recipient", new JsonObject()).getValue("user_id"));
        String templateType = text(payload.getJsonObject("message", new JsonObject()).getJsonObject("attachment", new JsonObject())
                .getJsonObject("payload", new JsonObject()).getValue("template_type"));
        SimulatorSettings current = settings();
        String refusal = isBlank(text(send.getValue("ApiKey"))) || isBlank(text(send.getValue("SecretKey"))) ? "101 Authorize Failed"
                : oaId == null || !oaId.matches("\\d{1,19}") ? "204 OAID not found"
                : isBlank(userId) ? "210 Payload.recipient.user_id is required"
                : templateType == null || !templateType.startsWith("transaction_") ? "210 Payload template_type is not a transaction template"
                // Neither the seed nor providers.md gives a code for these two: 110 is eSMS's public table's "the
                // requested data is incorrect", the simulator's reading of how eSMS refuses a malformed field.
                : requestId != null && requestId.length() > LONGEST_REQUEST_ID ? "110 RequestId is longer than 50 characters"
                : callbackUrl != null && !callbackUrl.matches("https?://\\S+") ? "110 CallbackUrl is not an http(s) URL"
                : current.blockedUserIds().contains(userId) ? "99 The phone number is blocked"
                : null;
        if (refusal != null) {
            int space = refusal.indexOf(' ');
            answer(context, 200, JSON, ProviderBodies.esmsAnswer(refusal.substring(0, space), null, refusal.substring(space + 1)).encode(), true);
            return;
        }
        ProviderBodies.Message earlier = requestId == null ? null : messagesByRequestId.get(requestId);
        if (earlier != null) {
            // eSMS drops the repeat; its 124 sometimes leaves the SMSID out (the callback, naming our RequestId, brings it).
            String smsId = chance(current.duplicateWithoutSmsIdRate()) ? null : earlier.smsId();
            answer(context, 200, JSON, ProviderBodies.esmsAnswer("124", smsId, "Duplicate RequestId").encode(), true);
            return;
        }
        if (quotaLeft(oaId, 0, current) == 0) {
            answer(context, 200, JSON, ProviderBodies.esmsAnswer("801", null, "The OA's daily quota is used up").encode(), true);
            return;
        }
        String zaloMsgId = zaloMsgId();
        boolean fails = chance(current.failureRate());
        ProviderBodies.Message message = new ProviderBodies.Message(UUID.randomUUID().toString(), requestId, nxcloudRequestId(),
                oaId, userId, fails ? null : zaloMsgId, fails);
        if (requestId != null) {
            remember(messagesByRequestId, requestId, message);
        }
        answer(context, 200, JSON, ProviderBodies.esmsAnswer("100", message.smsId(), null).encode(), true);
        messages.incrementAndGet();
        if ("1".equals(text(send.getValue("Sandbox")))) {
            LOG.debugf("simulator: eSMS took sandbox message %s: no receipt will come (as with eSMS)", message.smsId());
            return;
        }
        LOG.debugf("simulator: eSMS took message %s (SMSID %s), which will %s", requestId, message.smsId(),
                message.fails() ? "fail" : "be delivered");
        remember(callbacksBySmsId, message.smsId(), ProviderBodies.esmsCallback(message));
        sendLater(messageReceipts(message, callbackUrl, current), current);
    }

    /**
     * A message's receipts, in the order they come: NXCloud's {@code success} (or {@code failed}), quoting NXCloud's
     * own requestId and Zalo's message id; eSMS's callback when the send named a CallbackUrl (eSMS's messages only),
     * naming our RequestId and Zalo's message id (partnerids);
     * NXCloud's {@code delivered}, quoting only its requestId. The gateway keeps {@code success} until a receipt tells
     * it Zalo's message id (eSMS's callback for a transaction message; a journey message knows it from eTelecom's
     * answer), then learns NXCloud's requestId from it, by which {@code delivered} is found.
     */
    private List<Callback> messageReceipts(ProviderBodies.Message message, String callbackUrl, SimulatorSettings now) {
        Set<SimulatedReceipt> wanted = now.receipts();
        String url = now.nxcloudWebhookUrl();
        String about = message.smsId() != null ? "SMSID " + message.smsId() : "NXCloud requestId " + message.nxcloudRequestId();
        List<Callback> receipts = new ArrayList<>();
        if (wanted.contains(SimulatedReceipt.SUCCESS)) {
            int remainingQuota = message.fails() ? quotaLeft(message.oaId(), 0, now) : quotaLeft(message.oaId(), 1, now);
            receipts.add(nxcloud((message.fails() ? "failed" : "success") + " of " + about, url,
                    () -> message.fails() ? ProviderBodies.nxcloudFailed(message, Instant.now())
                            : ProviderBodies.nxcloudSuccess(message, remainingQuota, now.dailyQuota(), Instant.now())));
        }
        if (callbackUrl != null && wanted.contains(SimulatedReceipt.ESMS_CALLBACK)) {
            receipts.add(new Callback("eSMS callback of " + about, HttpMethod.GET, callbackUrl
                    + (callbackUrl.contains("?") ? "&" : "?") + ProviderBodies.query(ProviderBodies.esmsCallback(message)), null));
        }
        if (wanted.contains(SimulatedReceipt.DELIVERED) && !message.fails()) {
            receipts.add(nxcloud("delivered of " + about, url, () -> ProviderBodies.nxcloudDelivered(message, Instant.now())));
        }
        return receipts;
    }

    /**
     * eSMS's brandname SMS ({@code SendMultipleMessage_V4_post_json}, JSON in and out): refused as eSMS documents (101
     * credentials, 104 brandname, 108 phone, 110 for a field the simulator cannot read, 124 a RequestId seen within
     * 24 h), otherwise 100 with an SMSID and, when the send named a CallbackUrl, eSMS's callbacks: {@code SendStatus} 7
     * when it left for the carrier, then 5 with the carrier's verdict and the price of its parts.
     */
    private void sendSms(RoutingContext context) {
        if (unavailable()) {
            answer(context, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>", true);
            return;
        }
        JsonObject send = jsonBody(context);
        if (send == null) {
            answer(context, 400, "text/plain", "The request body is not JSON", true);
            return;
        }
        String phone = text(send.getValue("Phone"));
        String content = text(send.getValue("Content"));
        String requestId = text(send.getValue("RequestId"));
        String callbackUrl = text(send.getValue("CallbackUrl"));
        boolean unicode = "1".equals(text(send.getValue("IsUnicode")));
        SimulatorSettings current = settings();
        String refusal = isBlank(text(send.getValue("ApiKey"))) || isBlank(text(send.getValue("SecretKey"))) ? "101 Authorize Failed"
                : isBlank(text(send.getValue("Brandname"))) ? "104 Brandname is not registered"
                : phone == null || !phone.matches("(0|84)\\d{9}") ? "108 The phone number is not valid"
                : !"2".equals(text(send.getValue("SmsType"))) && !"8".equals(text(send.getValue("SmsType"))) ? "110 SmsType must be 2 or 8"
                : isBlank(content) ? "110 Content is required"
                : requestId != null && requestId.length() > LONGEST_REQUEST_ID ? "110 RequestId is longer than 50 characters"
                : callbackUrl != null && !callbackUrl.matches("https?://\\S+") ? "110 CallbackUrl is not an http(s) URL"
                : null;
        if (refusal != null) {
            int space = refusal.indexOf(' ');
            answer(context, 200, JSON, ProviderBodies.esmsAnswer(refusal.substring(0, space), null, refusal.substring(space + 1)).encode(), true);
            return;
        }
        ProviderBodies.Sms earlier = requestId == null ? null : smsByRequestId.get(requestId);
        if (earlier != null) {
            answer(context, 200, JSON, ProviderBodies.esmsAnswer("124", earlier.smsId(), "Duplicate RequestId").encode(), true);
            return;
        }
        ProviderBodies.Sms sms = new ProviderBodies.Sms(UUID.randomUUID().toString(), requestId, phone, smsParts(content, unicode),
                chance(current.smsFailureRate()));
        if (requestId != null) {
            remember(smsByRequestId, requestId, sms);
        }
        answer(context, 200, JSON, ProviderBodies.esmsAnswer("100", sms.smsId(), null).encode(), true);
        smsSent.incrementAndGet();
        if ("1".equals(text(send.getValue("Sandbox"))) || callbackUrl == null || !current.receipts().contains(SimulatedReceipt.ESMS_CALLBACK)) {
            return;
        }
        LOG.debugf("simulator: eSMS took SMS %s (SMSID %s, %d parts), which will %s", requestId, sms.smsId(), sms.parts(),
                sms.fails() ? "fail" : "be delivered");
        String url = callbackUrl + (callbackUrl.contains("?") ? "&" : "?");
        sendLater(List.of(
                new Callback("eSMS SMS callback (sent) of SMSID " + sms.smsId(), HttpMethod.GET,
                        url + ProviderBodies.query(ProviderBodies.esmsSmsCallback(sms, false)), null),
                new Callback("eSMS SMS callback (finished) of SMSID " + sms.smsId(), HttpMethod.GET,
                        url + ProviderBodies.query(ProviderBodies.esmsSmsCallback(sms, true)), null)), current);
    }

    /**
     * The parts a carrier bills: 160 GSM-7 characters in one, 153 each when split; 70 and 67 with Unicode (the carriers'
     * common rule; eSMS documents none). The simulator's reading: GSM-7's escaped characters are not counted twice.
     */
    static int smsParts(String content, boolean unicode) {
        int length = content.codePointCount(0, content.length());
        int single = unicode ? 70 : 160;
        int each = unicode ? 67 : 153;
        return length <= single ? 1 : (length + each - 1) / each;
    }

    private void getCallback(RoutingContext context) {
        if (unavailable()) {
            answer(context, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>", true);
            return;
        }
        JsonObject call = jsonBody(context);
        if (call == null || isBlank(text(call.getValue("ApiKey"))) || isBlank(text(call.getValue("SecretKey")))) {
            answer(context, 200, JSON, new JsonObject().put("Code", "101").put("Message", "Authorize Failed").encode(), true);
            return;
        }
        List<Map<String, String>> callbacks = new ArrayList<>();
        JsonArray smsIds = call.getValue("ListRefid") instanceof JsonArray array ? array : new JsonArray();
        for (Object smsId : smsIds) {
            Map<String, String> callback = callbacksBySmsId.get(String.valueOf(smsId));
            if (callback != null) {
                callbacks.add(callback);
            }
        }
        answer(context, 200, JSON, ProviderBodies.getCallbackAnswer(callbacks).encode(), true);
    }

    /**
     * eSMS's ZNS/GetQuota: the OA's quota today from the simulator's bookkeeping, as eSMS's page shows the answer;
     * 101 without credentials, 204 for an OAID that is no int64.
     */
    private void getQuota(RoutingContext context) {
        if (unavailable()) {
            answer(context, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>", true);
            return;
        }
        JsonObject call = jsonBody(context);
        if (call == null) {
            answer(context, 400, "text/plain", "The request body is not JSON", true);
            return;
        }
        String oaId = text(call.getValue("OAID"));
        if (isBlank(text(call.getValue("ApiKey"))) || isBlank(text(call.getValue("SecretKey")))) {
            answer(context, 200, JSON, ProviderBodies.esmsQuotaRefused("101", "Authorize Failed").encode(), true);
        } else if (oaId == null || !oaId.matches("\\d{1,19}")) {
            answer(context, 200, JSON, ProviderBodies.esmsQuotaRefused("204", "OAID not found").encode(), true);
        } else {
            SimulatorSettings current = settings();
            answer(context, 200, JSON, ProviderBodies.esmsQuota(current.dailyQuota(), quotaLeft(oaId, 0, current)).encode(), true);
        }
    }

    private int quotaLeft(String oaId, int used, SimulatorSettings now) {
        int total = quotaUsedByOa.computeIfAbsent(oaId, ignored -> new AtomicInteger()).addAndGet(used);
        return Math.max(0, now.dailyQuota() - total);
    }

    // --- Sending receipts back --------------------------------------------------------------------

    private static Callback nxcloud(String description, String url, Supplier<JsonObject> json) {
        return new Callback(description, HttpMethod.POST, url, json);
    }

    /**
     * Each receipt one {@code receiptDelay} after the one before (in reverse when out of order),
     * with its duplicates at the same moment; the first after the send's own answer has gone. One
     * snapshot of the settings decides a send's receipts and their timing, whatever a PUT changes meanwhile.
     */
    private void sendLater(List<Callback> receipts, SimulatorSettings now) {
        List<Callback> ordered = new ArrayList<>(receipts);
        if (now.outOfOrder()) {
            Collections.reverse(ordered);
        }
        long start = now.latency().toMillis();
        long step = now.receiptDelay().toMillis();
        journal.expect(ordered.size() * (now.duplicates() + 1));
        for (int i = 0; i < ordered.size(); i++) {
            Callback receipt = ordered.get(i);
            later(start + step * (i + 1), () -> sendNow(receipt, now));
        }
    }

    /** A receipt and its duplicates, now: the same bytes, as a provider's retry would be. */
    private void sendNow(Callback receipt, SimulatorSettings now) {
        String body = receipt.json() == null ? null : receipt.json().get().encode();
        for (int copy = 0; copy <= now.duplicates(); copy++) {
            deliver(receipt, body, 1);
        }
    }

    private void deliver(Callback receipt, String body, int attempt) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(receipt.url()).setMethod(receipt.method())
                .setIdleTimeout(10_000);
        webhooks.request(options)
                .compose(request -> body == null ? request.send()
                        : request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(result -> {
                    if (result.succeeded() && result.result() / 100 == 2) {
                        receiptsTaken.incrementAndGet();
                        journal.resolved(receipt.description(), receipt.url(), body, true);
                        LOG.debugf("simulator: sent %s", receipt.description());
                        return;
                    }
                    String why = result.succeeded() ? "HTTP " + result.result() : String.valueOf(result.cause());
                    if (attempt >= ATTEMPTS) {
                        receiptsAbandoned.incrementAndGet();
                        journal.resolved(receipt.description(), receipt.url(), body, false);
                        LOG.warnf("simulator: gave up on %s after %d attempts (%s)", receipt.description(), attempt, why);
                        return;
                    }
                    LOG.debugf("simulator: %s was not taken (%s); trying again", receipt.description(), why);
                    later(1000L << (attempt - 1), () -> deliver(receipt, body, attempt + 1));
                });
    }

    // --- A consumer's callback receiver ------------------------------------------------------------

    /** Keeps a status callback as a consumer's receiver would get it: its Standard Webhooks headers and body. */
    private void receiveCallback(RoutingContext context) {
        JsonObject body = jsonBody(context);
        JsonObject received = new JsonObject()
                .put("webhook_id", context.request().getHeader("webhook-id"))
                .put("webhook_timestamp", context.request().getHeader("webhook-timestamp"))
                .put("webhook_signature", context.request().getHeader("webhook-signature"))
                .put("body", body == null ? context.body().asString() : body);
        callbacksReceived.addFirst(received);
        while (callbacksReceived.size() > CALLBACKS_KEPT) {
            callbacksReceived.pollLast();
        }
        JsonObject data = body == null ? null : body.getJsonObject("data");
        LOG.infof("simulator: callback %s received: %s %s is %s", received.getString("webhook_id"),
                body == null ? "?" : body.getString("type"), data == null ? "?" : data.getString("id"),
                data == null ? "?" : data.getString("status"));
        answer(context, 200, JSON, "{}", false);
    }

    // --- Knobs ------------------------------------------------------------------------------------

    private String describe() {
        return new JsonObject(settings().describe()).encode();
    }

    private void changeSettings(RoutingContext context) {
        JsonObject changes = jsonBody(context);
        if (changes == null) {
            settingsProblem(context, "the body must be a JSON object of settings, e.g. {\"failure_rate\": 0.2}");
            return;
        }
        SimulatorSettings changed = settings();
        try {
            for (Map.Entry<String, Object> change : changes) {
                Object value = change.getValue();
                changed = changed.with(change.getKey(), value instanceof JsonArray list
                        ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        } catch (IllegalArgumentException invalid) {
            settingsProblem(context, invalid.getMessage());
            return;
        }
        settings(changed);
        LOG.infof("simulator: settings now %s", describe());
        answer(context, 200, JSON, describe(), false);
    }

    private void settingsProblem(RoutingContext context, String detail) {
        answer(context, 400, PROBLEM, new JsonObject().put("type", "about:blank").put("title", "Bad simulator settings")
                .put("status", 400).put("detail", detail).encode(), false);
    }

    // --- Helpers ----------------------------------------------------------------------------------

    /** Answers after the simulated latency when {@code slow}, on a timer: no thread waits. */
    private void answer(RoutingContext context, int status, String contentType, String body, boolean slow) {
        boolean lost = SimulatorFaults.swallows(context);
        journal.answered(context, status, body, lost);
        if (lost) {
            return; // taken, and the answer lost on the way (SimulatorFaults holds the call until the sender gives up)
        }
        Runnable send = () -> {
            if (!context.response().closed() && !context.response().ended()) {
                context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
            }
        };
        long latency = slow ? settings().latency().toMillis() : 0;
        if (latency <= 0) {
            send.run();
        } else {
            vertx.setTimer(latency, timer -> send.run());
        }
    }

    private void later(long millis, Runnable action) {
        if (millis <= 0) {
            vertx.runOnContext(ignored -> action.run());
        } else {
            vertx.setTimer(millis, timer -> action.run());
        }
    }

    private boolean unavailable() {
        return chance(settings().unavailableRate());
    }

    private static boolean chance(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    private static <V> void remember(Map<String, V> memory, String key, V value) {
        if (memory.size() >= MOST_REMEMBERED) {
            memory.clear();
        }
        memory.put(key, value);
    }

    /** NXCloud's own id of a send: {@code zalomid.} and 32 hex digits, as its receipts quote it. */
    private static String nxcloudRequestId() {
        return ProviderBodies.NXCLOUD_REQUEST_ID_PREFIX + HexFormat.of().formatHex(randomBytes(16));
    }

    /** Zalo's message id: 20 hex digits, as the seed's {@code 5c4ee6axxxxxx9692026}. */
    private static String zaloMsgId() {
        return HexFormat.of().formatHex(randomBytes(10));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String contentType(RoutingContext context) {
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null ? "" : type.toLowerCase(Locale.ROOT);
    }

    /** The body as a JSON object, or null when it is not one. */
    private static JsonObject jsonBody(RoutingContext context) {
        try {
            String text = context.body().asString();
            Object value = text == null ? null : Json.decodeValue(text);
            return value instanceof JsonObject object ? object : null;
        } catch (DecodeException notJson) {
            return null;
        }
    }

    /** A provider's scalar as text: strings as they are, numbers in their plain form. */
    private static String text(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? String.valueOf(value) : null;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
