package vn.zalogateway.provider.esms;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.ProviderException;

/** Pulls back eSMS callbacks we may have missed ({@code GetCallback}, at most 200 SMSIDs a call). */
@ApplicationScoped
public class EsmsStatusClient {

    public static final int MOST_PER_CALL = 200;

    /** GetCallback names two fields differently from the callback itself; the rest match. */
    private static final Map<String, String> CALLBACK_NAMES = Map.of("ErrorInfo", "error_info", "OAId", "oaid");

    private final EsmsStatusApi api;
    private final GatewayConfig config;
    private final ObjectMapper json;

    EsmsStatusClient(@RestClient EsmsStatusApi api, GatewayConfig config, ObjectMapper json) {
        this.api = api;
        this.config = config;
        this.json = json;
    }

    /** One map of callback parameters per callback eSMS still has for these SMSIDs of one OA. */
    @AsynchronousNonBlocking
    @Timeout(10_000)
    @CircuitBreakerName("esms-status")
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<List<Map<String, String>>> callbacks(long oaId, List<String> smsIds) {
        ObjectNode body = json.createObjectNode()
                .put("ApiKey", config.esms().apiKey())
                .put("SecretKey", config.esms().secretKey())
                .put("OAId", Long.toString(oaId));
        smsIds.stream().limit(MOST_PER_CALL).forEach(body.putArray("ListRefid")::add);
        return api.getCallback(body.toString()).map(this::read);
    }

    private List<Map<String, String>> read(String answer) {
        JsonNode reply;
        try {
            reply = json.readTree(answer);
        } catch (JsonProcessingException unreadable) {
            throw new ProviderException.Transient(EsmsClient.PROVIDER, "GetCallback answered with something unreadable");
        }
        if (reply == null || !reply.has("Code") || !"100".equals(reply.get("Code").asText())) {
            throw new ProviderException.Refused(EsmsClient.PROVIDER, reply == null ? "?" : reply.path("Code").asText(),
                    reply == null ? "" : reply.path("Message").asText());
        }
        List<Map<String, String>> callbacks = new ArrayList<>();
        for (JsonNode entry : reply.path("Data_callback")) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = entry.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    parameters.put(CALLBACK_NAMES.getOrDefault(field.getKey(), field.getKey()), field.getValue().asText());
                }
            }
            callbacks.add(parameters);
        }
        return callbacks;
    }
}
