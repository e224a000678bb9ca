package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.provider.ProviderException;

/** eTelecom's HTTP errors ({@code {"code","msg"}}) in our terms. */
final class EtelecomErrors {

    static final String PROVIDER = EtelecomClient.PROVIDER;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LONGEST_MESSAGE = 500;

    private EtelecomErrors() {
    }

    static ProviderException fromHttp(int status, String body) {
        if (status >= 500) {
            return new ProviderException.Transient(PROVIDER, PROVIDER + " answered HTTP " + status);
        }
        if (status == 401 || status == 403) {
            // Our key, not the consumer's request: an operator must fix the configuration.
            return new ProviderException.Unavailable(PROVIDER, PROVIDER + " refused the gateway's API key (HTTP " + status
                    + "); check gateway.etelecom.api-key and the base URL");
        }
        if (status == 400) {
            JsonNode error = parse(body);
            String code = text(error, "code", "invalid_argument");
            return new ProviderException.Refused(PROVIDER, code, text(error, "msg", "HTTP 400"));
        }
        return new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered HTTP " + status
                + " (" + text(parse(body), "code", "no code") + ")");
    }

    static String truncate(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= LONGEST_MESSAGE ? text : text.substring(0, LONGEST_MESSAGE) + "…";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() ? fallback : truncate(value.asText());
    }
}
