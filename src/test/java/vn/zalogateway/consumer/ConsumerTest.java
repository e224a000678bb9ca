package vn.zalogateway.consumer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.audit.Audit;
import vn.zalogateway.common.crypto.SecretBox;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/** Consumers (contract v1.1): the admin API, keys and their rotation, and each consumer seeing only its own. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsumerTest {

    static final String OA_A = "3041812345605770721";
    static final String OA_B = "4041812345605770722";

    @InjectWireMock
    WireMockServer etelecom;

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ConsumerService consumers;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        etelecom.resetAll();
        esms.resetAll();
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-1\"}")));
    }

    static String journey(String oaId) {
        return EtelecomStub.journeyRequest(oaId, "0912345678", null);
    }

    @Test
    void anAdministratorMakesAConsumerWhoseKeyAndSecretAreShownOnce() {
        String name = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        var made = TestKeys.admin().body("""
                {"name": "%s", "oa_ids": ["%s", 4041812345605770722], "callback_url": "https://shop.example/zalo-events"}"""
                .formatted(name, OA_A)).post("/v1/admin/consumers")
                .then().statusCode(201)
                .header("Location", containsString("/v1/admin/consumers/"))
                .body("name", equalTo(name))
                .body("oa_ids", equalTo(List.of(OA_A, OA_B)))
                .body("callback_url", equalTo("https://shop.example/zalo-events"))
                .body("api_key", startsWith("zgw_"))
                .body("callback_secret", startsWith("whsec_"))
                .extract().jsonPath();
        String id = made.getString("id");
        assertThat(made.getString("api_key")).hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(Base64.getDecoder().decode(made.getString("callback_secret").substring(6))).hasSize(32);

        TestKeys.admin().get("/v1/admin/consumers/" + id).then().statusCode(200)
                .body("api_key", nullValue()).body("callback_secret", nullValue())
                .body("keys.key_id", hasItem(made.getString("key_id")));
        TestKeys.admin().get("/v1/admin/consumers").then().statusCode(200)
                .body("name", hasItem(name)).body("name", hasItem("default"))
                .body(not(containsString(made.getString("api_key"))));
        assertThat(rows.count("consumer_keys where key_hash = '" + Sha256.hex(made.getString("api_key")) + "'"))
                .as("the key is kept as its SHA-256 only").isEqualTo(1);
        assertThat(rows.one("select sealed from callback_secrets where consumer_id = ?::uuid", id).get("sealed").toString())
                .as("the secret is sealed, not stored in clear").doesNotContain(made.getString("callback_secret").substring(6));

        TestKeys.admin().body("{\"name\": \"" + name + "\", \"oa_ids\": [\"*\"]}").post("/v1/admin/consumers")
                .then().statusCode(409).body("type", equalTo("urn:zalo-gateway:problem:consumer-exists"));
    }

    @Test
    void theAdminApiTakesAdministratorsOnlyAndListsEveryBrokenRule() {
        given().get("/v1/admin/consumers").then().statusCode(401);
        TestKeys.consumer().get("/v1/admin/consumers").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2("not-a-key").get("/v1/admin/consumers").then().statusCode(401);
        TestKeys.admin().get("/v1/journeys").then().statusCode(401);

        TestKeys.admin().body("{\"name\": \"Shop A\", \"oa_ids\": [\"*\", \"12\"], \"callback_url\": \"ftp://x\", \"colour\": 1}")
                .post("/v1/admin/consumers").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItems("name", "oa_ids[0]", "callback_url", "colour"));
        TestKeys.admin().get("/v1/admin/consumers/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void eachConsumerSeesOnlyItsOwnAndOnlyForItsOas() {
        Consumers.Made a = Consumers.make("shop-a", List.of(OA_A), null);
        Consumers.Made b = Consumers.make("shop-b", List.of(OA_B), null);

        String journeyA = TestKeys.withKey(a.apiKey()).body(journey(OA_A)).post("/v1/journeys").then().statusCode(201)
                .extract().path("id");
        var messageBody = Messages.message();
        String messageA = TestKeys.withKey(a.apiKey()).body(messageBody.toString()).post("/v1/messages").then().statusCode(202)
                .extract().path("id");

        // B: as if they did not exist.
        TestKeys.withKey(b.apiKey()).get("/v1/journeys/" + journeyA).then().statusCode(404);
        TestKeys.withKey(b.apiKey()).get("/v1/messages/" + messageA).then().statusCode(404);
        TestKeys.withKey(b.apiKey()).get("/v1/journeys").then().statusCode(200).body("items.size()", equalTo(0));
        TestKeys.withKey(b.apiKey()).get("/v1/messages").then().statusCode(200).body("items.size()", equalTo(0));
        TestKeys.withKey(b.apiKey()).get("/v1/oas/" + OA_A + "/quota").then().statusCode(404);
        TestKeys.withKey(b.apiKey()).body(journey(OA_A)).post("/v1/journeys").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:zalo-gateway:problem:forbidden-oa"));
        TestKeys.withKey(b.apiKey()).body(messageBody.toString()).post("/v1/messages").then().statusCode(403)
                .body("type", equalTo("urn:zalo-gateway:problem:forbidden-oa"));
        var linking = Messages.nextMessageFor(journeyA, OA_B);
        TestKeys.withKey(b.apiKey()).body(linking.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations[0].message", containsString("no journey"));

        // A: its own, and only its own.
        TestKeys.withKey(a.apiKey()).get("/v1/journeys/" + journeyA).then().statusCode(200);
        Messages.awaitStatus(messageA, a.apiKey(), "SUBMITTED");
        TestKeys.withKey(a.apiKey()).get("/v1/journeys").then().body("items.id", equalTo(List.of(journeyA)));
        TestKeys.withKey(a.apiKey()).get("/v1/messages").then().body("items.id", equalTo(List.of(messageA)));
        TestKeys.consumer().get("/v1/messages/" + messageA).then().statusCode(404);
        assertThat(rows.one("select consumer_id from messages where id = ?::uuid", messageA).get("consumer_id").toString())
                .isEqualTo(a.id());

        // A receipt with a cost: the costs report of A counts it, B's does not.
        given().contentType(ContentType.JSON).body("""
                {"status": "success", "requestId": "sms-1", "code": 0, "cost": {"currency": "VND", "originalPrice": 300}}""")
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
        TestKeys.withKey(a.apiKey()).get("/v1/reports/costs").then().body("totals[0].amount", equalTo(300.0f));
        TestKeys.withKey(b.apiKey()).get("/v1/reports/costs").then().body("totals.size()", equalTo(0));
    }

    @Test
    void aRevokedKeyStopsAtOnceAndARotatedOneWorksBesideTheOld() {
        Consumers.Made a = Consumers.make("rotating", List.of("*"), null);
        TestKeys.withKey(a.apiKey()).get("/v1/journeys").then().statusCode(200); // its identity is cached now

        var issued = TestKeys.admin().post("/v1/admin/consumers/" + a.id() + "/keys").then().statusCode(201)
                .body("api_key", startsWith("zgw_")).extract().jsonPath();
        TestKeys.withKey(issued.getString("api_key")).get("/v1/journeys").then().statusCode(200);
        TestKeys.withKey(a.apiKey()).get("/v1/journeys").then().statusCode(200);

        TestKeys.admin().delete("/v1/admin/consumers/" + a.id() + "/keys/" + a.keyId()).then().statusCode(204);
        // Revoked: refused at once, although its identity was cached.
        TestKeys.withKey(a.apiKey()).get("/v1/journeys").then().statusCode(401);
        TestKeys.withKey(issued.getString("api_key")).get("/v1/journeys").then().statusCode(200);
        TestKeys.admin().get("/v1/admin/consumers/" + a.id()).then()
                .body("keys.find { it.key_id == '" + a.keyId() + "' }.revoked_at", org.hamcrest.Matchers.notNullValue());
        TestKeys.admin().delete("/v1/admin/consumers/" + a.id() + "/keys/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aChangedOaListTakesEffectAtOnce() {
        Consumers.Made a = Consumers.make("growing", List.of(OA_A), null);
        TestKeys.withKey(a.apiKey()).body(journey(OA_B)).post("/v1/journeys").then().statusCode(403);

        TestKeys.admin().body("{\"oa_ids\": [\"" + OA_A + "\", \"" + OA_B + "\"], \"rate_limit_per_second\": 50}")
                .patch("/v1/admin/consumers/" + a.id()).then().statusCode(200)
                .body("oa_ids", equalTo(List.of(OA_A, OA_B))).body("rate_limit_per_second", equalTo(50));
        TestKeys.withKey(a.apiKey()).body(journey(OA_B)).post("/v1/journeys").then().statusCode(201);

        TestKeys.admin().body("{\"callback_url\": \"https://shop.example/cb\"}").patch("/v1/admin/consumers/" + a.id())
                .then().statusCode(200).body("callback_url", equalTo("https://shop.example/cb"))
                .body("rate_limit_per_second", equalTo(50));
        TestKeys.admin().body("{\"callback_url\": null, \"rate_limit_per_second\": null}").patch("/v1/admin/consumers/" + a.id())
                .then().statusCode(200).body("callback_url", nullValue()).body("rate_limit_per_second", nullValue());
        TestKeys.admin().body("{\"rate_limit_per_second\": 0}").patch("/v1/admin/consumers/" + a.id()).then().statusCode(400);
    }

    @Test
    void aRotatedCallbackSecretSignsBesideTheOldOneForADay() {
        Consumers.Made a = Consumers.make("signing", List.of("*"), null);
        String rotated = TestKeys.admin().post("/v1/admin/consumers/" + a.id() + "/callback-secret").then().statusCode(201)
                .body("callback_secret", startsWith("whsec_")).body("previous_retires_at", org.hamcrest.Matchers.notNullValue())
                .extract().path("callback_secret");
        List<String> signing = consumers.signingSecrets(UUID.fromString(a.id())).await().atMost(Duration.ofSeconds(5));
        assertThat(signing).containsExactly(rotated, a.callbackSecret());
        assertThat(rows.one("select count(*) as n from callback_secrets where consumer_id = ?::uuid "
                + "and retires_at between now() + interval '23 hours' and now() + interval '25 hours'", a.id()).get("n"))
                .isEqualTo(1L);
    }

    @Test
    void theConfiguredKeysAreTheBuiltInDefaultConsumer() {
        String journeyId = TestKeys.consumer().body(journey(OA_A)).post("/v1/journeys").then().statusCode(201)
                .extract().path("id");
        assertThat(rows.one("select consumer_id from journeys where id = ?::uuid", journeyId).get("consumer_id").toString())
                .isEqualTo("00000000-0000-7000-8000-000000000001");
        given().auth().oauth2(TestKeys.OTHER_KEY).get("/v1/journeys/" + journeyId).then().statusCode(200);
    }

    // --- the audit trail ------------------------------------------------------------------------

    @Test
    void everyChangeToKeysSecretsAndLimitsLeavesAnAuditLineNamingWhoWhatAndWhichButNoSecret() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger audit = Logger.getLogger(Audit.CATEGORY);
        audit.addHandler(capture);
        try {
            Consumers.Made a = Consumers.make("audited", List.of(OA_A), null);
            var issued = TestKeys.admin().post("/v1/admin/consumers/" + a.id() + "/keys").then().statusCode(201).extract().jsonPath();
            TestKeys.admin().delete("/v1/admin/consumers/" + a.id() + "/keys/" + a.keyId()).then().statusCode(204);
            String secret = TestKeys.admin().post("/v1/admin/consumers/" + a.id() + "/callback-secret").then().statusCode(201)
                    .extract().path("callback_secret");
            TestKeys.admin().body("{\"oa_ids\": [\"*\"], \"callback_url\": \"https://shop.example/cb?token=t0ps3cr3t\", "
                    + "\"rate_limit_per_second\": 7}").patch("/v1/admin/consumers/" + a.id()).then().statusCode(200);
            TestKeys.admin().body("{\"callback_url\": null}").patch("/v1/admin/consumers/" + a.id()).then().statusCode(200);
            TestKeys.admin().body("{\"rate_limit_per_second\": 0}").patch("/v1/admin/consumers/" + a.id()).then().statusCode(400);

            String admin = "actor=admin:" + TestKeys.ADMIN_HASHES.substring(0, 8) + " ";
            String consumer = "subject=consumer:" + a.id();
            assertThat(lines).containsExactly(
                    "audit " + admin + "action=consumer.created " + consumer,
                    "audit " + admin + "action=consumer.key.issued " + consumer + "/key:" + a.keyId(),
                    "audit " + admin + "action=consumer.callback_secret.issued " + consumer,
                    "audit " + admin + "action=consumer.key.issued " + consumer + "/key:" + issued.getString("key_id"),
                    "audit " + admin + "action=consumer.key.revoked " + consumer + "/key:" + a.keyId(),
                    "audit " + admin + "action=consumer.callback_secret.rotated " + consumer,
                    "audit " + admin + "action=consumer.oa_ids.changed " + consumer,
                    "audit " + admin + "action=consumer.callback_url.changed " + consumer,
                    "audit " + admin + "action=consumer.rate_limit_per_second.changed " + consumer,
                    "audit " + admin + "action=consumer.callback_url.removed " + consumer);
            String all = String.join("\n", lines);
            for (String secretText : List.of(a.apiKey(), issued.getString("api_key"), a.callbackSecret(), secret, TestKeys.ADMIN_KEY,
                    TestKeys.ADMIN_HASHES.substring(0, 12), Sha256.hex(a.apiKey()).substring(0, 8),
                    Sha256.hex(issued.getString("api_key")).substring(0, 8), "t0ps3cr3t")) {
                assertThat(all).as("an audit line holds %s", secretText).doesNotContain(secretText);
            }
        } finally {
            audit.removeHandler(capture);
        }
    }

    // --- unknown keys cost no query -------------------------------------------------------------

    @Inject
    MeterRegistry meters;

    double lookups(String source) {
        return meters.counter("gateway.api.key.lookups", "source", source).count();
    }

    static String randomKey() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "zgw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The figure of issue 29: before the live keys, each of the 1,000 made-up keys below was one query. */
    @Test
    void aThousandMadeUpKeysCostNoDatabaseQuery() throws Exception {
        Consumers.Made a = Consumers.make("flooded", List.of("*"), null);
        // The change above made every replica read the live keys again: wait until that read is in.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            double before = lookups("live-keys");
            given().auth().oauth2(randomKey()).get("/v1/journeys").then().statusCode(401);
            assertThat(lookups("live-keys")).isEqualTo(before + 1);
        });
        double database = lookups("database");
        double refused = lookups("live-keys");

        HttpClient client = HttpClient.newHttpClient(); // one connection: RestAssured opens one a call
        URI journeys = URI.create("http://localhost:" + RestAssured.port + "/v1/journeys");
        for (int i = 0; i < 1_000; i++) {
            int status = client.send(HttpRequest.newBuilder(journeys).header("Authorization", "Bearer " + randomKey())
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            assertThat(status).isEqualTo(401);
        }
        TestKeys.withKey(a.apiKey()).get("/v1/journeys").then().statusCode(200);

        assertThat(lookups("live-keys") - refused).as("made-up keys refused from memory").isEqualTo(1_000);
        assertThat(lookups("database") - database).as("queries: at most the real key's, once").isLessThanOrEqualTo(1);
    }

    @Test
    void aKeyRefusedAsUnknownWorksAsSoonAsAnotherReplicaIssuesIt() {
        Consumers.Made a = Consumers.make("late", List.of("*"), null);
        String key = randomKey();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            double before = lookups("live-keys");
            given().auth().oauth2(key).get("/v1/journeys").then().statusCode(401);
            assertThat(lookups("live-keys")).as("refused from memory").isEqualTo(before + 1);
        });

        // As ConsumerService.issueKey does it on another replica: the row and the NOTIFY in one transaction.
        rows.execute("begin; insert into consumer_keys (id, consumer_id, key_hash, created_at) values (gen_random_uuid(), '"
                + a.id() + "', '" + Sha256.hex(key) + "', now()); select pg_notify('"
                + ConsumerKeys.CHANNEL + "', ''); commit;");

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> TestKeys.withKey(key).get("/v1/journeys").then().statusCode(200));
    }

    // --- sealing key rotation -------------------------------------------------------------------

    @Test
    void secretsSealedWithThePreviousKeyStillSignAndAreSealedAgainWithTheCurrentOne() throws Exception {
        Consumers.Made a = Consumers.make("rotated-key", List.of("*"), null);
        SecretBox previous = SecretBox.fromBase64(TestKeys.PREVIOUS_SECRETS_KEY);
        SecretBox current = SecretBox.fromBase64(TestKeys.SECRETS_KEY);
        // Two secrets sealed before the rotation: one naming the previous key, one from before values named their key.
        UUID named = UUID.randomUUID();
        UUID unnamed = UUID.randomUUID();
        rows.update("update callback_secrets set retires_at = now() - interval '1 second' where consumer_id = ?::uuid", a.id());
        rows.update("insert into callback_secrets (id, consumer_id, sealed, created_at) values (?::uuid, ?::uuid, ?, now() - interval '1 minute')",
                named.toString(), a.id(), previous.seal("whsec_bmFtZWQ=", named.toString()));
        rows.update("insert into callback_secrets (id, consumer_id, sealed, created_at) values (?::uuid, ?::uuid, ?, now() - interval '2 minutes')",
                unnamed.toString(), a.id(), legacySeal(TestKeys.PREVIOUS_SECRETS_KEY, "whsec_dW5uYW1lZA==", unnamed.toString()));

        assertThat(consumers.signingSecrets(UUID.fromString(a.id())).await().atMost(Duration.ofSeconds(5)))
                .containsExactly("whsec_bmFtZWQ=", "whsec_dW5uYW1lZA==");

        assertThat(consumers.reseal().await().atMost(Duration.ofSeconds(5))).isGreaterThanOrEqualTo(2);

        for (UUID id : List.of(named, unnamed)) {
            assertThat(rows.one("select sealed from callback_secrets where id = ?::uuid", id.toString()).get("sealed").toString())
                    .startsWith("v1:" + current.keyId() + ":");
        }
        assertThat(consumers.signingSecrets(UUID.fromString(a.id())).await().atMost(Duration.ofSeconds(5)))
                .containsExactly("whsec_bmFtZWQ=", "whsec_dW5uYW1lZA==");
        assertThat(consumers.reseal().await().atMost(Duration.ofSeconds(5))).as("nothing left to seal again").isZero();
    }

    /** As SecretBox sealed before sealed values named their key: base64 of nonce, ciphertext and tag. */
    static String legacySeal(String base64Key, String secret, String associatedData) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }
}
