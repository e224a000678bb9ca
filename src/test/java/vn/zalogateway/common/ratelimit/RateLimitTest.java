package vn.zalogateway.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/** Sends per second per consumer and per OA: 429 with Retry-After and RateLimit-* past the limit, nothing stored. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class RateLimitTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RateLimiter limiter;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aConsumerPastItsLimitGets429AndNothingIsStored() {
        Consumers.Made shop = Consumers.make("limited", List.of("*"), null);
        // One a second: a token comes back a second after it is taken, longer than these requests take.
        TestKeys.admin().body("{\"rate_limit_per_second\": 1}").patch("/v1/admin/consumers/" + shop.id())
                .then().statusCode(200).body("rate_limit_per_second", equalTo(1));

        send(shop).then().statusCode(202).header("RateLimit-Limit", "1").header("RateLimit-Remaining", "0");
        send(shop).then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("rate-limited"))
                .body("detail", org.hamcrest.Matchers.containsString("1 per second"))
                .header("Retry-After", "1")
                .header("RateLimit-Limit", "1")
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", not(emptyOrNullString()));
        // Journeys share the consumer's limit: refused before eTelecom is called.
        TestKeys.withKey(shop.apiKey())
                .body(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", "token_logistics_7"))
                .post("/v1/journeys").then().statusCode(429).header("Retry-After", "1");

        assertThat(new Rows(dataSource).one("select count(*) as n from messages where consumer_id = ?::uuid", shop.id())
                .get("n")).isEqualTo(1L);
        assertThat(new Rows(dataSource).one("select count(*) as n from journeys where consumer_id = ?::uuid", shop.id())
                .get("n")).isEqualTo(0L);
    }

    @Test
    void theBucketFillsAgainWithinASecond() {
        Consumers.Made shop = Consumers.make("refilled", List.of("*"), null);
        TestKeys.admin().body("{\"rate_limit_per_second\": 1}").patch("/v1/admin/consumers/" + shop.id()).then().statusCode(200);
        send(shop).then().statusCode(202);
        send(shop).then().statusCode(429);
        // A refused send takes no token: asking again and again until one is taken changes nothing.
        await().atMost(Duration.ofMillis(1_100)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> send(shop).then().statusCode(202));
    }

    @Test
    void anOaPastItsLimitRefusesWhoeverSends() {
        String oa = "oa-" + UUID.randomUUID();
        List<RateLimiter.Limit> limits = List.of(new RateLimiter.Limit("oa", oa, 2, "OA " + oa));
        assertThat(limiter.admit(limits).await().atMost(WAIT).remaining()).isEqualTo(1);
        assertThat(limiter.admit(limits).await().atMost(WAIT).remaining()).isZero();
        assertThatThrownBy(() -> limiter.admit(limits).await().atMost(WAIT))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.problem().status()).isEqualTo(429);
                    assertThat(refused.headers()).containsEntry("Retry-After", "1").containsEntry("RateLimit-Limit", "2");
                });
    }

    @Test
    void concurrentSendsTakeNoMoreThanTheBucketHolds() {
        String consumer = "c-" + UUID.randomUUID();
        List<RateLimiter.Limit> limits = List.of(new RateLimiter.Limit("consumer", consumer, 10, consumer));
        long admitted = admitted(limits, 40, 40);
        // Ten in the bucket, and at most a token or two refilled while the forty ran.
        assertThat(admitted).isBetween(10L, 12L);
    }

    @Test
    void aLargeLimitTakenLocallyStillHoldsWithinItsSlack() {
        // 100/s: this replica takes tokens locally and writes back every 5 tokens or 50 ms.
        String consumer = "c-" + UUID.randomUUID();
        List<RateLimiter.Limit> limits = List.of(new RateLimiter.Limit("consumer", consumer, 100, consumer));
        long admitted = admitted(limits, 300, 16);
        // A hundred in the bucket, what refilled while the 300 ran, and at most the slack of one replica.
        assertThat(admitted).isBetween(100L, 140L);
    }

    /** How many of {@code sends} admissions, {@code concurrency} at a time, the limiter let through. */
    private long admitted(List<RateLimiter.Limit> limits, int sends, int concurrency) {
        return io.smallrye.mutiny.Multi.createFrom().range(0, sends)
                .onItem().transformToUni(i -> limiter.admit(limits).map(limit -> 1).onFailure(ProblemException.class)
                        .recoverWithItem(0))
                .merge(concurrency).collect().asList().await().atMost(WAIT)
                .stream().mapToLong(Integer::longValue).sum();
    }

    private static Response send(Consumers.Made shop) {
        return TestKeys.withKey(shop.apiKey()).body(Messages.message().toString()).post("/v1/messages");
    }
}
