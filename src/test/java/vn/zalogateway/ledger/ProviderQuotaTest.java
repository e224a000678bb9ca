package vn.zalogateway.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.nullValue;
import static vn.zalogateway.support.StubAnswers.json;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * GET /v1/oas/{oa_id}/quota asks the providers when its reading is older than gateway.quota.max-age (PT5M): eSMS's
 * ZNS/GetQuota first, eTelecom's GetShopOA when eSMS fails or has no answer for the OA, over real HTTP. The answer is
 * the ledger's reading (source provider, reported now), and quota again releases the OA's held messages. A provider
 * that fails or is slow leaves the known reading; a stranger's OA is never asked about; concurrent asks share one
 * call. The gateway remembers per replica which OAs it asked lately, so every test has an OA of its own.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ProviderQuotaTest {

    @InjectEsms
    WireMockServer esms;

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    Rows rows;
    /** This test's OA: one the gateway has never asked about. */
    String oa;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("callback_events", "receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        esms.resetAll();
        etelecom.resetAll();
        circuitBreakers.resetAll();
        oa = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }


    /** eSMS's GetQuota answer, as eSMS's page shows it. */
    void esmsAnswers(int daily, int remaining) {
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(json("""
                {"CodeResult": "100", "ErrorMessage": "success", "DailyQuota": %d, "RemainingQuota": %d}""".formatted(daily, remaining))));
    }

    /** eTelecom's GetShopOA answer, with the fields its docs list that matter here. */
    void etelecomAnswers(int daily, int remaining) {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.GET_SHOP_OA)).willReturn(json("""
                {"oa_id": "%s", "name": "Shop A", "status": "P", "current_quality": "HIGH", "last_week_quality": "MEDIUM",
                 "daily_quota": %d, "remaining_quota": %d, "daily_quota_promotion": 0, "monthly_promotion_quota": 0}"""
                .formatted(oa, daily, remaining))));
    }

    /** The latest reading of the OA, as a receipt reported it that long ago. */
    void reading(int remaining, Integer daily, Duration ago) {
        rows.update("insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source) "
                + "values (?, ?, ?, now() - make_interval(secs => ?), 'receipt')", Long.parseLong(oa), remaining, daily,
                (double) ago.toSeconds());
    }

    List<LoggedRequest> esmsAsked() {
        return esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.GET_QUOTA)));
    }

    List<LoggedRequest> etelecomAsked() {
        return etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.GET_SHOP_OA)));
    }

    JsonPath quota() {
        return TestKeys.consumer().get("/v1/oas/" + oa + "/quota").then().statusCode(200).extract().jsonPath();
    }

    Map<String, Object> stored() {
        return rows.one("select remaining_quota, daily_quota, source, reported_at > now() - interval '1 minute' as recent "
                + "from oa_quotas where oa_id = ?", Long.parseLong(oa));
    }

    static void assertNow(String timestamp) {
        assertThat(OffsetDateTime.parse(timestamp)).isCloseTo(OffsetDateTime.now(), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void aStaleReadingAsksEsmsOnceAndTheAnswerIsTheNewReading() {
        reading(7, 100, Duration.ofMinutes(10));
        esmsAnswers(5000, 4992);

        JsonPath answer = quota();
        assertThat(answer.getString("oa_id")).isEqualTo(oa);
        assertThat(answer.getInt("remaining_quota")).isEqualTo(4992);
        assertThat(answer.getInt("daily_quota")).isEqualTo(5000);
        assertThat(answer.getString("source")).isEqualTo("provider");
        assertThat(answer.getString("held_until")).isNull();
        assertNow(answer.getString("reported_at"));
        assertThat(stored()).containsEntry("remaining_quota", 4992).containsEntry("daily_quota", 5000)
                .containsEntry("source", "provider").containsEntry("recent", true);

        assertThat(esmsAsked()).as("eSMS asked once, as its page shows").singleElement().satisfies(request -> {
            assertThat(request.getHeader("Content-Type")).startsWith("application/json");
            assertThat(request.getBodyAsString()).isEqualToIgnoringWhitespace("{\"ApiKey\":\"" + EsmsStub.API_KEY
                    + "\",\"SecretKey\":\"" + EsmsStub.SECRET_KEY + "\",\"OAID\":\"" + oa + "\"}");
        });
        assertThat(etelecomAsked()).as("eSMS answered: eTelecom is not asked").isEmpty();

        // Fresh now: the next ask is answered from the ledger.
        assertThat(quota().getInt("remaining_quota")).isEqualTo(4992);
        assertThat(esmsAsked()).hasSize(1);
    }

    @Test
    void aFreshReadingAsksNobody() {
        reading(321, 500, Duration.ofMinutes(1));
        esmsAnswers(5000, 4992);

        JsonPath answer = quota();
        assertThat(answer.getInt("remaining_quota")).isEqualTo(321);
        assertThat(answer.getInt("daily_quota")).isEqualTo(500);
        assertThat(answer.getString("source")).isEqualTo("receipt");
        assertThat(esmsAsked()).isEmpty();
        assertThat(etelecomAsked()).isEmpty();
    }

    @Test
    void noReadingAtAllAsksTooAndEtelecomAnswersWhenEsmsFails() {
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(aResponse().withStatus(500)));
        etelecomAnswers(2000, 1200);

        JsonPath answer = quota();
        assertThat(answer.getInt("remaining_quota")).isEqualTo(1200);
        assertThat(answer.getInt("daily_quota")).isEqualTo(2000);
        assertThat(answer.getString("source")).isEqualTo("provider");
        assertThat(stored()).containsEntry("remaining_quota", 1200).containsEntry("source", "provider");
        assertThat(esmsAsked()).hasSize(1);
        etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.GET_SHOP_OA))
                .withHeader("Authorization", equalTo("Bearer " + EtelecomStub.API_KEY))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .withRequestBody(equalToJson("{\"oa_id\": \"" + oa + "\"}")));
    }

    @Test
    void anEsmsWithNoAnswerForTheOaLeavesItToEtelecom() {
        reading(3, 100, Duration.ofHours(1));
        // 799: the OA is not active on the eSMS account.
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(json("{\"CodeResult\": \"799\", \"ErrorMessage\": \"OA inactive\"}")));
        etelecomAnswers(2000, 0);

        JsonPath answer = quota();
        assertThat(answer.getInt("remaining_quota")).isEqualTo(0);
        assertThat(answer.getString("source")).isEqualTo("provider");
        assertThat(answer.getString("held_until")).as("a provider saying the quota is spent holds the OA").isNotNull();
        assertThat(etelecomAsked()).hasSize(1);
    }

    @Test
    void providersThatFailOrAreSlowLeaveTheKnownReadingAndAreNotAskedAgainWithinMaxAge() {
        reading(42, 100, Duration.ofMinutes(30));
        // eSMS answers after the gateway stopped waiting (1 s in tests); eTelecom is down.
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(json(
                "{\"CodeResult\": \"100\", \"DailyQuota\": 100, \"RemainingQuota\": 99}").withFixedDelay(2500)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.GET_SHOP_OA)).willReturn(aResponse().withStatus(503)));

        JsonPath answer = quota();
        assertThat(answer.getInt("remaining_quota")).isEqualTo(42);
        assertThat(answer.getString("source")).isEqualTo("receipt");
        assertThat(OffsetDateTime.parse(answer.getString("reported_at"))).isBefore(OffsetDateTime.now().minusMinutes(29));
        assertThat(esmsAsked()).hasSize(1);
        assertThat(etelecomAsked()).hasSize(1);
        assertThat(stored()).containsEntry("remaining_quota", 42).containsEntry("source", "receipt");

        // Asked a moment ago: not again until max-age has passed, whatever the answer was.
        assertThat(quota().getInt("remaining_quota")).isEqualTo(42);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(esmsAsked()).hasSize(1);
            assertThat(etelecomAsked()).hasSize(1);
        });
    }

    @Test
    void nothingKnownAndNoProviderAnswerIsNotFound() {
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(json("{\"CodeResult\": \"204\", \"ErrorMessage\": \"OAID not found\"}")));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.GET_SHOP_OA)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"code\": \"not_found\", \"msg\": \"oa not found\"}")));

        TestKeys.consumer().get("/v1/oas/" + oa + "/quota").then().statusCode(404)
                .contentType("application/problem+json").body("status", org.hamcrest.Matchers.equalTo(404));
        assertThat(esmsAsked()).hasSize(1);
        assertThat(etelecomAsked()).hasSize(1);
        assertThat(rows.count("oa_quotas")).isZero();
    }

    @Test
    void aProviderShowingQuotaAgainReleasesTheOasHeldMessages() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(json(
                "{\"CodeResult\": \"100\", \"SMSID\": \"zalo-{{jsonPath request.body '$.RequestId'}}\"}").withTransformers("response-template")));
        reading(0, 100, Duration.ZERO);
        String id = Messages.send(Messages.message().put("oa_id", oa));
        JsonPath held = await().atMost(Messages.PATIENCE).until(
                () -> TestKeys.consumer().get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath(),
                message -> message.get("held") != null);
        assertThat(held.getString("status")).isEqualTo("ACCEPTED");
        assertThat(esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)))).isEmpty();

        // The reading ages past max-age; eSMS now shows quota.
        rows.update("update oa_quotas set reported_at = now() - interval '10 minutes' where oa_id = ?", Long.parseLong(oa));
        esmsAnswers(100, 60);
        JsonPath answer = quota();
        assertThat(answer.getInt("remaining_quota")).isEqualTo(60);
        assertThat(answer.getString("held_until")).isNull();

        Messages.awaitStatus(id, "SUBMITTED").then().body("held", nullValue());
        assertThat(esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)))).as("the held message went, once").hasSize(1);
    }

    @Test
    void aStrangersOaIsNotFoundAndNoProviderIsAsked() {
        reading(5, 100, Duration.ofHours(2));
        esmsAnswers(100, 99);
        etelecomAnswers(100, 99);
        Consumers.Made stranger = Consumers.make("quota", List.of("1234567890"), null);

        TestKeys.withKey(stranger.apiKey()).get("/v1/oas/" + oa + "/quota").then().statusCode(404);
        assertThat(esmsAsked()).isEmpty();
        assertThat(etelecomAsked()).isEmpty();
        assertThat(stored()).containsEntry("remaining_quota", 5);
    }

    @Test
    void concurrentAsksShareOneCall() {
        reading(1, 100, Duration.ofMinutes(6));
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_QUOTA)).willReturn(json(
                "{\"CodeResult\": \"100\", \"ErrorMessage\": \"success\", \"DailyQuota\": 100, \"RemainingQuota\": 77}")
                .withFixedDelay(600)));

        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier together = new CyclicBarrier(8);
            List<CompletableFuture<Integer>> asks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asks.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return quota().getInt("remaining_quota");
                }, callers));
            }
            assertThat(asks).allSatisfy(ask -> assertThat(ask.join()).isEqualTo(77));
        } finally {
            callers.shutdownNow();
        }
        assertThat(esmsAsked()).as("one question for all eight").hasSize(1);
        assertThat(etelecomAsked()).isEmpty();
    }
}
