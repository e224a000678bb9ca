package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.storedtemplate.TemplateRequests;
import vn.zalogateway.storedtemplate.TemplateVersion;

class TemplatePreviewTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static TemplateVersion version(String elements, String buttons, Map<String, Integer> placeholders) throws Exception {
        return new TemplateVersion(UUID.randomUUID(), UUID.randomUUID(), "order-status", 2, "transaction_order", "VI",
                JSON.readTree(elements), buttons == null ? null : JSON.readTree(buttons), placeholders, Instant.parse("2026-12-01T02:00:00Z"));
    }

    @Test
    void eachPlaceholderIsFilledWithItsNameOrWithItsLongestValueWhenTheNameIsLonger() throws Exception {
        Map<String, Integer> placeholders = new LinkedHashMap<>();
        placeholders.put("order_code", 20);
        placeholders.put("weight_in_kilograms", 4);
        TemplateVersion template = version("""
                [{"type": "header", "content": "Đơn {{order_code}}"},
                 {"type": "table", "content": [{"key": "Cân nặng", "value": "{{weight_in_kilograms}} kg", "style": "blue"}]}]""",
                """
                [{"title": "Xem {{order_code}}", "type": "oa.open.url", "payload": {"url": "https://shop.vn/{{order_code}}"}}]""",
                placeholders);
        TemplatePreview.Preview preview = TemplatePreview.of(template);
        assertThat(preview.sampleData().toString()).isEqualTo("{\"order_code\":\"order_code\",\"weight_in_kilograms\":\"0000\"}");
        ZaloCard card = preview.card();
        assertThat(card.blocks().get(0).lines()).containsExactly("Đơn order_code");
        assertThat(card.blocks().get(1).rows().get(0).value()).isEqualTo("0000 kg");
        assertThat(card.blocks().get(1).rows().get(0).style()).isEqualTo("blue");
        assertThat(card.buttons().get(0).title()).isEqualTo("Xem order_code");
        assertThat(card.buttons().get(0).target()).isEqualTo("https://shop.vn/order_code");
        assertThat(preview.sampleJson()).contains("\"order_code\" : \"order_code\"");
    }

    @Test
    void theEditableJsonSavesTheSameVersionAgain() throws Exception {
        TemplateVersion template = version("""
                [{"type": "header", "content": "Đơn {{order_code}}"}, {"type": "text", "content": "Cảm ơn bạn"}]""", null,
                Map.of("order_code", 20));
        JsonNode editable = JSON.readTree(TemplatePreview.editable(template));
        assertThat(editable.has("name")).isFalse();
        assertThat(editable.has("buttons")).isFalse();
        assertThat(editable.get("placeholders").toString()).isEqualTo("{\"order_code\":{\"max_length\":20}}");
        var draft = TemplateRequests.replace("order-status", editable);
        assertThat(draft.elements()).isEqualTo(template.elements());
        assertThat(draft.placeholders()).isEqualTo(template.placeholders());
    }

    @Test
    void aNewTemplateStartsFromASampleTheRulesAccept() throws Exception {
        var draft = TemplateRequests.create(JSON.readTree(TemplatePreview.blank()));
        assertThat(draft.name()).isEqualTo("order-status");
        assertThat(draft.placeholders()).containsEntry("customer_code", 20);
    }
}
