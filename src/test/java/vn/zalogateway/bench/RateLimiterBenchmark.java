package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.Statistics;

/**
 * What the rate limiter costs on the accept path: two packaged gateways side by side on one database,
 * one with limits on (high enough that nothing is refused: every request takes its two tokens, consumer
 * and OA, from PostgreSQL buckets) and one with them off, loaded in turn (on, off, off, on, ...) at the
 * same open-loop rate; accept latency compared trial by trial. Dispatching is off in both, so only the
 * accept path is measured. Run: {@code ./mvnw verify -Pbenchmark -Dit.test=RateLimiterBenchmark}.
 */
@Tag("benchmark")
class RateLimiterBenchmark {

    static final int RATE = Integer.getInteger("bench.limiter.rate", 1000);
    static final int SECONDS = Integer.getInteger("bench.limiter.seconds", 10);
    static final int PAIRS = Integer.getInteger("bench.limiter.pairs", 3);

    @Test
    void theLimiterLeavesAcceptLatencyAlone() throws Exception {
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables();
        Vertx vertx = Vertx.vertx();
        Map<String, String> common = new HashMap<>(GatewayProcess.environment("http://127.0.0.1:9/unused"));
        common.put("GATEWAY_DISPATCH_ENABLED", "false");
        Map<String, String> off = new HashMap<>(common);
        off.put("GATEWAY_RATE_LIMITS_ENABLED", "false");
        try (GatewayProcess limited = new GatewayProcess(common, GatewayProcess.logFile("benchmark-limiter-on.log").toPath());
                GatewayProcess unlimited = new GatewayProcess(off, GatewayProcess.logFile("benchmark-limiter-off.log").toPath())) {
            Buffer body = Buffer.buffer(GatewayCalls.messageBody());
            HttpClient toLimited = client(vertx, limited);
            HttpClient toUnlimited = client(vertx, unlimited);
            MessageLoad load = new MessageLoad();
            for (int warmUp = 0; warmUp < 2; warmUp++) { // JIT, pools: both, twice
                load.openLoop(vertx, toLimited, body, RATE, 10);
                load.openLoop(vertx, toUnlimited, body, RATE, 10);
            }

            List<LoadPhase> on = new ArrayList<>();
            List<LoadPhase> without = new ArrayList<>();
            StringBuilder report = new StringBuilder(String.format(
                    "=== Rate limiter: accept latency with and without it, side by side (JVM %s) ===%n", Runtime.version()));
            for (int pair = 0; pair < PAIRS; pair++) {
                for (boolean limiter : pair % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    LoadPhase phase = load.openLoop(vertx, limiter ? toLimited : toUnlimited, body, RATE, SECONDS);
                    (limiter ? on : without).add(phase);
                    report.append(phase.describe(limiter ? "limiter on" : "limiter off")).append('\n');
                }
            }
            report.append(String.format("""
                    median of %d trials each at %d/s: limiter on p50 %.1f ms, p99 %.1f ms; off p50 %.1f ms, p99 %.1f ms
                    """, PAIRS, RATE,
                    Statistics.median(on, phase -> phase.percentile(0.50)),
                    Statistics.median(on, phase -> phase.percentile(0.99)),
                    Statistics.median(without, phase -> phase.percentile(0.50)),
                    Statistics.median(without, phase -> phase.percentile(0.99))));
            System.out.println(report);
            Files.writeString(Path.of("target", "benchmark-limiter.txt"), report);
            for (LoadPhase phase : on) {
                assertThat(phase.statuses.keySet()).as("nothing refused: the limit is above the rate").containsOnly(202);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpClient client(Vertx vertx, GatewayProcess gateway) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
    }
}
