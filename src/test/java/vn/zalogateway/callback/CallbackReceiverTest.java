package vn.zalogateway.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import vn.zalogateway.consumer.CallbackUrls;

/**
 * The HTTP side of callbacks against real receivers on loopback: the POST goes to the checked address with the
 * URL's Host, TLS server name and certificate check; a receiver's answer body is never read past a small cap nor
 * past the timeout, so an endless or trickling body costs neither memory nor time.
 */
class CallbackReceiverTest {

    /** Roomy: a JVM's first connection can take a second on a busy machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "webhook-id", "evt-1");
    static final String BODY = "{\"type\": \"message.status_changed\"}";

    /** A self-signed certificate for callbacks.test (keytool, as an operator would make one), and its PEM. */
    static Path keyStore;
    static Path certificate;

    Vertx vertx;
    CallbackReceiver receiver;
    HttpServer server;

    /** What a receiver saw of each request: its Host, TLS server name, URI, a header and body. */
    record Seen(String host, String serverName, String uri, String webhookId, String body) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificate(@TempDir Path folder) throws Exception {
        keyStore = folder.resolve("receiver.p12");
        certificate = folder.resolve("receiver.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=callbacks.test", "-ext", "SAN=dns:callbacks.test", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", certificate.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @BeforeEach
    void client() {
        vertx = Vertx.vertx();
        receiver = receiver(TIMEOUT);
    }

    /** A receiver client that trusts the test's certificate (as the JDK's trust store trusts real ones). */
    CallbackReceiver receiver(Duration timeout) {
        HttpClientOptions options = CallbackReceiver.options(timeout)
                .setTrustOptions(new PemTrustOptions().addCertPath(certificate.toString()));
        return new CallbackReceiver(vertx, options, 4, timeout, CallbackReceiver.BODY_CAP);
    }

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    HttpServer serve(HttpServerOptions options, Handler<HttpServerRequest> answer) {
        server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(request -> request.body()
                .onSuccess(body -> {
                    seen.add(new Seen(request.getHeader("Host"), request.connection().indicatedServerName(), request.uri(),
                            request.getHeader("webhook-id"), body.toString(StandardCharsets.UTF_8)));
                    answer.handle(request);
                }))
                .listen().toCompletionStage().toCompletableFuture().join();
        return server;
    }

    HttpServer serveTls(Handler<HttpServerRequest> answer) {
        return serve(new HttpServerOptions().setSsl(true).setSni(true)
                .setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword("changeit")), answer);
    }

    /** The URL's host does not resolve anywhere: only the pinned address can be reached. */
    static CallbackUrls.Target target(String url) throws Exception {
        return new CallbackUrls.Target(URI.create(url), InetAddress.getByName("127.0.0.1"), null);
    }

    Integer post(String url) throws Exception {
        return receiver.post(target(url), HEADERS, BODY).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void thePostGoesToTheCheckedAddressWithTheUrlsHostServerNameAndCertificate() throws Exception {
        receiver = receiver(Duration.ofSeconds(10)); // a JVM's first TLS handshake can take seconds on a busy machine
        serveTls(request -> request.response().setStatusCode(204).end());
        int port = server.actualPort();

        assertThat(post("https://callbacks.test:" + port + "/zalo-events?shop=a")).isEqualTo(204);

        assertThat(seen).singleElement().isEqualTo(new Seen("callbacks.test:" + port, "callbacks.test",
                "/zalo-events?shop=a", "evt-1", BODY));
    }

    @Test
    void theCertificateIsCheckedForTheUrlsHostNotForTheAddress() throws Exception {
        receiver = receiver(Duration.ofSeconds(10));
        serveTls(request -> request.response().end());
        int port = server.actualPort();

        assertThatThrownBy(() -> post("https://elsewhere.test:" + port + "/zalo-events"))
                .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
                .rootCause().hasMessageContaining("elsewhere.test");
        assertThat(seen).as("nothing was sent to a receiver whose certificate is not the URL host's").isEmpty();
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        serve(new HttpServerOptions(), request -> request.response().setStatusCode(307)
                .putHeader("Location", "http://127.0.0.1:" + server.actualPort() + "/elsewhere").end());
        assertThat(post("http://callbacks.test:" + server.actualPort() + "/zalo-events")).isEqualTo(307);
        assertThat(seen).extracting(Seen::uri).containsExactly("/zalo-events");
    }

    /** The old client read a whole answer into memory: a receiver could stream gigabytes at it. */
    @Test
    void anEndlessBodyIsDroppedAfterTheCapAndItsConnectionClosed() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicLong streamedFor = new AtomicLong();
        serve(new HttpServerOptions(), request -> {
            long started = System.nanoTime();
            HttpServerResponse response = request.response().setStatusCode(200).setChunked(true);
            response.closeHandler(gone -> {
                streamedFor.set(System.nanoTime() - started);
                closed.set(true);
            });
            stream(response, written, closed);
        });

        assertThat(post("http://callbacks.test:" + server.actualPort() + "/zalo-events")).isEqualTo(200);

        await().atMost(Duration.ofSeconds(3)).untilTrue(closed);
        assertThat(Duration.ofNanos(streamedFor.get())).as("closed at the cap, long before the timeout").isLessThan(TIMEOUT.dividedBy(2));
        // What the receiver got out before the close: the cap, what the sockets' buffers hold, nothing like an endless stream.
        assertThat(written.get()).isLessThan(16L << 20);
    }

    /** Writes 16 KiB chunks for as long as the connection is open, as fast as the client takes them. */
    private void stream(HttpServerResponse response, AtomicLong written, AtomicBoolean closed) {
        Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
        while (!closed.get() && !response.writeQueueFull()) {
            response.write(chunk);
            written.addAndGet(chunk.length());
        }
        if (!closed.get()) {
            response.drainHandler(ready -> stream(response, written, closed));
        }
    }

    @Test
    void aBodyThatTricklesIsCutAtTheTimeout() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        serve(new HttpServerOptions(), request -> {
            HttpServerResponse response = request.response().setStatusCode(500).setChunked(true);
            long timer = vertx.setPeriodic(50, tick -> response.write("x"));
            response.closeHandler(gone -> {
                closed.set(true);
                vertx.cancelTimer(timer);
            });
        });

        // The body never ends: the attempt ends at the timeout with the status that came, and the connection closed.
        assertThat(post("http://callbacks.test:" + server.actualPort() + "/zalo-events")).isEqualTo(500);
        await().atMost(Duration.ofSeconds(1)).untilTrue(closed);
    }

    @Test
    void noStatusWithinTheTimeoutIsATimeoutAndTheConnectionIsClosed() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        serve(new HttpServerOptions(), request -> request.connection().closeHandler(gone -> closed.set(true)));

        assertThatThrownBy(() -> post("http://callbacks.test:" + server.actualPort() + "/zalo-events"))
                .hasCauseInstanceOf(TimeoutException.class).hasMessageContaining("no answer within PT3S");
        await().atMost(Duration.ofSeconds(2)).untilTrue(closed);
    }

    @Test
    void aBodyReadToItsEndLeavesTheConnectionOpenForTheNextCallback() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        serve(new HttpServerOptions(), request -> {
            request.connection().closeHandler(gone -> closed.set(true));
            request.response().end("ok");
        });
        assertThat(post("http://callbacks.test:" + server.actualPort() + "/zalo-events")).isEqualTo(200);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).untilFalse(closed);
    }
}
