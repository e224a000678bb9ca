package vn.zalogateway.console;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.message.MessageRequests;
import vn.zalogateway.message.template.TemplateType;

/**
 * The template playground's rules: a message's JSON is checked by exactly what {@code POST /v1/messages}
 * checks ({@link MessageRequests}, and in it {@code TransactionTemplateRules}), drawn as a card even while
 * it breaks rules, and written out as the curl command that would send it.
 */
public final class Playground {

    /** What the playground shows for a JSON text. */
    public record Result(boolean valid, List<Violation> violations, ZaloCard card, String curl) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Playground() {
    }

    public static Result check(String text, ZoneId zone, Instant now, String baseUrl) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return new Result(false, List.of(new Violation("body", "is not JSON" + where)), ZaloCard.of(null), "");
        }
        List<Violation> violations;
        try {
            MessageRequests.read(body, zone, now);
            violations = List.of();
        } catch (ProblemException e) {
            List<Violation> listed = e.problem().violations();
            violations = listed == null || listed.isEmpty() ? List.of(new Violation("body", e.problem().detail())) : listed;
        }
        return new Result(violations.isEmpty(), violations, ZaloCard.of(body), body == null ? "" : curl(body, baseUrl));
    }

    /** A message to start from: the seed's order example, as the template type asks. */
    public static String sample(String templateType) {
        String type = templateType != null && TemplateType.ALL.contains(templateType) ? templateType : "transaction_order";
        ObjectNode message = JSON.createObjectNode();
        message.put("oa_id", "3041812345605770721").put("user_id", "5830123456789").put("template_type", type).put("language", "VI");
        var elements = message.putArray("elements");
        elements.addObject().put("type", "banner").put("image_url", "https://example.com/banner.png");
        elements.addObject().put("type", "header").put("content", "Trạng thái đơn hàng").put("align", "left");
        elements.addObject().put("type", "text").put("align", "left")
                .put("content", "• Cảm ơn bạn đã mua hàng tại cửa hàng.<br>• Thông tin đơn hàng của bạn như sau:");
        var table = elements.addObject().put("type", "table").putArray("content");
        table.addObject().put("key", "Mã khách hàng").put("value", "KH-001");
        table.addObject().put("key", "Trạng thái").put("value", "Đang giao").put("style", "yellow");
        table.addObject().put("key", "Giá tiền").put("value", "250,000đ");
        var button = message.putArray("buttons").addObject().put("title", "Kiểm tra lộ trình").put("type", "oa.open.url");
        button.putObject("payload").put("url", "https://example.com/orders/KH-001");
        message.put("ext", "order-KH-001");
        return pretty(message);
    }

    /** A stored message as the JSON that would send it again. */
    public static String ofStored(long oaId, String userId, String zaloPayload, String ext) {
        try {
            ObjectNode message = JSON.createObjectNode();
            message.put("oa_id", Long.toString(oaId)).put("user_id", userId);
            JsonNode payload = JSON.readTree(zaloPayload);
            payload.fields().forEachRemaining(field -> message.set(field.getKey(), field.getValue()));
            if (ext != null) {
                message.put("ext", ext);
            }
            return pretty(message);
        } catch (JsonProcessingException e) {
            return sample(null);
        }
    }

    static String curl(JsonNode body, String baseUrl) {
        String json = body.toString().replace("'", "'\\''");
        return "curl -X POST '" + baseUrl + "/v1/messages' \\\n  -H \"Authorization: Bearer $ZALO_GATEWAY_KEY\" \\\n"
                + "  -H 'Content-Type: application/json' \\\n  -d '" + json + "'";
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
