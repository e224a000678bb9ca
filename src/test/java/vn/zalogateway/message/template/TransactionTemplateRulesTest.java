package vn.zalogateway.message.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.Violation;

/** One accepted example per template type, and at least one rejected case per rule, at and past each limit. */
class TransactionTemplateRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VI_CHAR = "ả";            // one character, two ways to write it
    static final String FAMILY = "👨‍👩‍👧";        // one character, eight UTF-16 units

    static ObjectNode template() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"template_type": "transaction_order", "language": "VI",
                     "elements": [
                       {"type": "banner", "image_url": "https://cdn.shop.vn/banners/order.png"},
                       {"type": "header", "content": "Đơn hàng đã xác nhận", "align": "left"},
                       {"type": "text", "content": "Cảm ơn quý khách đã đặt hàng.", "align": "left"},
                       {"type": "table", "content": [
                          {"key": "Mã đơn hàng", "value": "DH-1001"},
                          {"key": "Trạng thái", "value": "Đã xác nhận", "style": "green"}]}],
                     "buttons": [
                       {"title": "Xem đơn hàng", "image_icon": "", "type": "oa.open.url",
                        "payload": {"url": "https://shop.vn/orders/1001"}}]}""");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode element(ObjectNode template, int index) {
        return (ObjectNode) template.withArray("elements").get(index);
    }

    static ArrayNode rows(ObjectNode template) {
        return (ArrayNode) element(template, 3).get("content");
    }

    static ObjectNode button(ObjectNode template, int index) {
        return (ObjectNode) template.withArray("buttons").get(index);
    }

    static ObjectNode addButton(ObjectNode template, String json) {
        try {
            ObjectNode button = (ObjectNode) JSON.readTree(json);
            template.withArray("buttons").add(button);
            return button;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String nfd(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD);
    }

    static List<Violation> check(ObjectNode template) {
        return TransactionTemplateRules.check(template);
    }

    // --- accepted ---------------------------------------------------------------------------------

    @Test
    void acceptsTheSeedsOwnTransactionOrderExampleAsIs() throws IOException {
        try (InputStream seed = getClass().getResourceAsStream("/templates/seed-transaction-order.json")) {
            assertThat(TransactionTemplateRules.check(JSON.readTree(seed))).isEmpty();
        }
    }

    static Stream<String> templateTypes() {
        return TemplateType.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("templateTypes")
    void acceptsEveryTemplateType(String type) {
        ObjectNode template = template();
        template.put("template_type", type);
        assertThat(check(template)).isEmpty();
        assertThat(TemplateType.ALL).hasSize(13);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                edit("minimal: a header and an identifying table, no banner, no buttons", t -> {
                    t.withArray("elements").remove(0);
                    t.withArray("elements").remove(1);
                    t.remove("buttons");
                }),
                edit("header exactly 100 characters, decomposed Vietnamese",
                        t -> element(t, 1).put("content", nfd(VI_CHAR.repeat(100)))),
                edit("text exactly 250 family emoji", t -> element(t, 2).put("content", FAMILY.repeat(250))),
                edit("two texts around the table", t -> t.withArray("elements").addObject().put("type", "text").put("content", "Hẹn gặp lại!")),
                edit("align empty, center and right", t -> {
                    element(t, 1).put("align", "");
                    element(t, 2).put("align", "right");
                }),
                edit("no align at all", t -> element(t, 1).remove("align")),
                edit("banner .jpg with a query string", t -> element(t, 0).put("image_url", "http://cdn.shop.vn/b.JPG?v=2")),
                edit("banner from an image service, no extension (not fetched)",
                        t -> element(t, 0).put("image_url", "https://img.icons8.com/?size=100&id=kJlyCVWJrclv&format=png")),
                edit("banner path without an extension", t -> element(t, 0).put("image_url", "https://cdn.shop.vn/banners/123")),
                edit("key exactly 25 and value exactly 100 characters", t -> {
                    ((ObjectNode) rows(t).get(0)).put("key", "Mã " + VI_CHAR.repeat(22));
                    ((ObjectNode) rows(t).get(0)).put("value", FAMILY.repeat(100));
                }),
                edit("identifying by Tên khách hàng", t -> ((ObjectNode) rows(t).get(0)).put("key", "Tên khách hàng")),
                edit("status key written decomposed", t -> ((ObjectNode) rows(t).get(1)).put("key", nfd("Trạng thái"))),
                edit("all five styles are colours", t -> ((ObjectNode) rows(t).get(1)).put("style", "grey")),
                edit("an empty style on a free row is no style", t -> rows(t).addObject().put("key", "Giá").put("value", "1").put("style", "")),
                edit("exactly 5 free rows", t -> {
                    for (int i = 0; i < 5; i++) {
                        rows(t).addObject().put("key", "Dòng " + i).put("value", "giá trị");
                    }
                }),
                edit("a second Mã row counts as a free row", t -> rows(t).addObject().put("key", "Mã giảm giá").put("value", "SALE")),
                edit("EN with a Code key", t -> {
                    t.put("language", "EN");
                    ((ObjectNode) rows(t).get(0)).put("key", "Order Code");
                    ((ObjectNode) rows(t).get(1)).put("key", "Status");
                }),
                edit("EN with Customer Name", t -> {
                    t.put("language", "EN");
                    ((ObjectNode) rows(t).get(0)).put("key", "Customer Name");
                    ((ObjectNode) rows(t).get(1)).put("key", "Status");
                }),
                edit("four buttons of every kind", t -> {
                    addButton(t, "{\"title\": \"Hỏi shop\", \"type\": \"oa.query.show\", \"payload\": \"#ask\"}");
                    addButton(t, "{\"title\": \"Ẩn\", \"type\": \"oa.query.hide\", \"image_icon\": \"default\", \"payload\": \"#hide\"}");
                    addButton(t, "{\"title\": \"SMS\", \"type\": \"oa.open.sms\", \"image_icon\": \"aB3_x-9.z\", "
                            + "\"payload\": {\"content\": \"alo\", \"phone_code\": \"84919018791\"}}");
                }),
                edit("a call button with a hotline", t -> addButton(t,
                        "{\"title\": \"Gọi\", \"type\": \"oa.open.phone\", \"payload\": {\"phone_code\": \"19001234\"}}")),
                edit("title exactly 35, query payload exactly 1000, sms content exactly 160", t -> {
                    button(t, 0).put("title", FAMILY + VI_CHAR.repeat(34));
                    addButton(t, "{\"title\": \"q\", \"type\": \"oa.query.show\", \"payload\": \"" + "x".repeat(1000) + "\"}");
                    addButton(t, "{\"title\": \"s\", \"type\": \"oa.open.sms\", \"payload\": {\"content\": \""
                            + VI_CHAR.repeat(160) + "\", \"phone_code\": \"0901888484\"}}");
                }),
                edit("empty buttons and null buttons", t -> t.putArray("buttons")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, Consumer<ObjectNode> edit) {
        ObjectNode template = template();
        edit.accept(template);
        assertThat(check(template)).isEmpty();
    }

    // --- rejected ---------------------------------------------------------------------------------

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("template_type missing", t -> t.remove("template_type"), "template_type", "is required"),
                reject("template_type unknown", t -> t.put("template_type", "transaction_promotion"), "template_type", "must be one of"),
                reject("template_type not a string", t -> t.put("template_type", 2), "template_type", "must be one of"),
                reject("language missing", t -> t.remove("language"), "language", "is required"),
                reject("language lower case", t -> t.put("language", "vi"), "language", "must be one of: VI, EN"),
                reject("elements missing", t -> t.remove("elements"), "elements", "is required"),
                reject("elements not an array", t -> t.putObject("elements"), "elements", "must be an array"),
                reject("elements empty", t -> t.putArray("elements"), "elements", "must contain a header element"),
                reject("element not an object", t -> t.withArray("elements").insert(0, "banner"), "elements[0]", "must be an object"),
                reject("element type missing", t -> element(t, 2).remove("type"), "elements[2].type", "is required"),
                reject("element type unknown", t -> element(t, 2).put("type", "image"), "elements[2].type", "must be one of: banner, header, text, table"),
                reject("banner not first", t -> t.withArray("elements").insert(2, element(t, 0).deepCopy()), "elements[2]", "a banner must be the first element"),
                reject("banner url missing", t -> element(t, 0).remove("image_url"), "elements[0].image_url", "is required"),
                reject("banner url not absolute", t -> element(t, 0).put("image_url", "banners/order.png"), "elements[0].image_url", "absolute http(s) URL"),
                reject("banner url ftp", t -> element(t, 0).put("image_url", "ftp://cdn.shop.vn/order.png"), "elements[0].image_url", "absolute http(s) URL"),
                reject("banner url with spaces", t -> element(t, 0).put("image_url", "https://cdn.shop.vn/my banner.png"), "elements[0].image_url", "absolute http(s) URL"),
                reject("banner gif", t -> element(t, 0).put("image_url", "https://cdn.shop.vn/order.gif"), "elements[0].image_url", "jpg or png image, not .gif"),
                reject("banner webp", t -> element(t, 0).put("image_url", "https://cdn.shop.vn/order.WEBP"), "elements[0].image_url", "not .webp"),
                reject("banner url not a string", t -> element(t, 0).put("image_url", 7), "elements[0].image_url", "must be a string"),
                reject("no header", t -> t.withArray("elements").remove(1), "elements", "must contain a header element"),
                reject("two headers", t -> t.withArray("elements").insert(2, element(t, 1).deepCopy()), "elements[2]", "at most one header"),
                reject("header after a text", t -> {
                    ArrayNode elements = t.withArray("elements");
                    JsonNode header = elements.remove(1);
                    elements.insert(2, header);
                }, "elements[2]", "the header must come before every text and table element"),
                reject("header content missing", t -> element(t, 1).remove("content"), "elements[1].content", "is required"),
                reject("header content blank", t -> element(t, 1).put("content", "   "), "elements[1].content", "must not be blank"),
                reject("header 101 characters", t -> element(t, 1).put("content", nfd(VI_CHAR.repeat(101))), "elements[1].content", "at most 100 characters (has 101)"),
                reject("header align unknown", t -> element(t, 1).put("align", "justify"), "elements[1].align", "must be one of: left, center, right"),
                reject("text 251 characters", t -> element(t, 2).put("content", FAMILY.repeat(251)), "elements[2].content", "at most 250 characters (has 251)"),
                reject("text not a string", t -> element(t, 2).putArray("content"), "elements[2].content", "must be a string"),
                reject("a third text", t -> {
                    t.withArray("elements").addObject().put("type", "text").put("content", "hai");
                    t.withArray("elements").addObject().put("type", "text").put("content", "ba");
                }, "elements[5]", "at most 2 text elements"),
                reject("two tables", t -> t.withArray("elements").add(element(t, 3).deepCopy()), "elements[4]", "at most one table"),
                reject("table content missing", t -> element(t, 3).remove("content"), "elements[3].content", "is required"),
                reject("table content empty", t -> element(t, 3).putArray("content"), "elements[3].content", "at least one row"),
                reject("table content an object", t -> element(t, 3).putObject("content"), "elements[3].content", "must be an array"),
                reject("table row not an object", t -> rows(t).insert(0, "Mã: 1"), "elements[3].content[0]", "must be an object"),
                reject("VI table without an identifying row", t -> ((ObjectNode) rows(t).get(0)).put("key", "Số đơn hàng"),
                        "elements[3].content", "identifying row: a key starting with \"Mã\""),
                reject("VI identifying key is case sensitive", t -> ((ObjectNode) rows(t).get(0)).put("key", "mã đơn hàng"),
                        "elements[3].content", "identifying row"),
                reject("EN table without a Code key", t -> {
                    t.put("language", "EN");
                    ((ObjectNode) rows(t).get(0)).put("key", "Order number");
                    ((ObjectNode) rows(t).get(1)).put("key", "Status");
                }, "elements[3].content", "a key containing \"Code\""),
                reject("EN table read with VI keys", t -> t.put("language", "EN"), "elements[3].content[1].style", "only on the Status row"),
                reject("style on a free row", t -> rows(t).addObject().put("key", "Giá").put("value", "1").put("style", "red"),
                        "elements[3].content[2].style", "is allowed only on the Trạng thái row"),
                reject("style on the identifying row", t -> ((ObjectNode) rows(t).get(0)).put("style", "blue"),
                        "elements[3].content[0].style", "only on the Trạng thái row"),
                reject("style not a colour", t -> ((ObjectNode) rows(t).get(1)).put("style", "purple"),
                        "elements[3].content[1].style", "must be one of: green, blue, yellow, red, grey"),
                reject("style not a string", t -> ((ObjectNode) rows(t).get(1)).put("style", 1),
                        "elements[3].content[1].style", "must be one of"),
                reject("key 26 characters", t -> ((ObjectNode) rows(t).get(0)).put("key", "Mã " + VI_CHAR.repeat(23)),
                        "elements[3].content[0].key", "at most 25 characters (has 26)"),
                reject("value 101 characters", t -> ((ObjectNode) rows(t).get(0)).put("value", FAMILY.repeat(101)),
                        "elements[3].content[0].value", "at most 100 characters (has 101)"),
                reject("key missing", t -> ((ObjectNode) rows(t).get(1)).remove("key"), "elements[3].content[1].key", "is required"),
                reject("value missing", t -> ((ObjectNode) rows(t).get(0)).remove("value"), "elements[3].content[0].value", "is required"),
                reject("value a number", t -> ((ObjectNode) rows(t).get(0)).put("value", 250000), "elements[3].content[0].value", "must be a string"),
                reject("six free rows", t -> {
                    for (int i = 0; i < 6; i++) {
                        rows(t).addObject().put("key", "Dòng " + i).put("value", "giá trị");
                    }
                }, "elements[3].content", "at most 5 rows are allowed besides the identifying and Trạng thái rows (found 6)"),
                reject("buttons not an array", t -> t.putObject("buttons"), "buttons", "must be an array"),
                reject("five buttons", t -> {
                    for (int i = 0; i < 4; i++) {
                        t.withArray("buttons").add(button(t, 0).deepCopy());
                    }
                }, "buttons", "at most 4 buttons are allowed (found 5)"),
                reject("button not an object", t -> t.withArray("buttons").add("Gọi"), "buttons[1]", "must be an object"),
                reject("title missing", t -> button(t, 0).remove("title"), "buttons[0].title", "is required"),
                reject("title blank", t -> button(t, 0).put("title", ""), "buttons[0].title", "must not be blank"),
                reject("title 36 characters", t -> button(t, 0).put("title", FAMILY + VI_CHAR.repeat(35)), "buttons[0].title", "at most 35 characters (has 36)"),
                reject("image_icon neither url nor id", t -> button(t, 0).put("image_icon", "my icon.png"), "buttons[0].image_icon", "attachment id"),
                reject("image_icon not a string", t -> button(t, 0).put("image_icon", true), "buttons[0].image_icon", "must be a string"),
                reject("button type missing", t -> button(t, 0).remove("type"), "buttons[0].type", "is required"),
                reject("button type unknown", t -> button(t, 0).put("type", "oa.open.app"), "buttons[0].type", "must be one of: oa.open.url, oa.query.show"),
                reject("url payload missing", t -> button(t, 0).remove("payload"), "buttons[0].payload", "is required"),
                reject("url payload a string", t -> button(t, 0).put("payload", "https://shop.vn"), "buttons[0].payload", "must be an object for oa.open.url"),
                reject("url missing", t -> button(t, 0).putObject("payload"), "buttons[0].payload.url", "is required"),
                reject("url not http", t -> button(t, 0).putObject("payload").put("url", "javascript:alert(1)"), "buttons[0].payload.url", "absolute http(s) URL"),
                reject("query payload an object", t -> addButton(t, "{\"title\": \"q\", \"type\": \"oa.query.show\", \"payload\": {\"text\": \"#a\"}}"),
                        "buttons[1].payload", "must be a string"),
                reject("query payload 1001 characters", t -> addButton(t, "{\"title\": \"q\", \"type\": \"oa.query.hide\", \"payload\": \"" + "x".repeat(1001) + "\"}"),
                        "buttons[1].payload", "at most 1000 characters (has 1001)"),
                reject("query payload missing", t -> addButton(t, "{\"title\": \"q\", \"type\": \"oa.query.hide\"}"), "buttons[1].payload", "is required"),
                reject("sms content missing", t -> addButton(t, "{\"title\": \"s\", \"type\": \"oa.open.sms\", \"payload\": {\"phone_code\": \"84919018791\"}}"),
                        "buttons[1].payload.content", "is required"),
                reject("sms content 161 characters", t -> addButton(t, "{\"title\": \"s\", \"type\": \"oa.open.sms\", \"payload\": {\"content\": \""
                        + VI_CHAR.repeat(161) + "\", \"phone_code\": \"84919018791\"}}"), "buttons[1].payload.content", "at most 160 characters (has 161)"),
                reject("sms phone_code missing", t -> addButton(t, "{\"title\": \"s\", \"type\": \"oa.open.sms\", \"payload\": {\"content\": \"alo\"}}"),
                        "buttons[1].payload.phone_code", "is required"),
                reject("phone_code with letters", t -> addButton(t, "{\"title\": \"g\", \"type\": \"oa.open.phone\", \"payload\": {\"phone_code\": \"0901 888 484\"}}"),
                        "buttons[1].payload.phone_code", "must be a phone number"),
                reject("phone payload missing", t -> addButton(t, "{\"title\": \"g\", \"type\": \"oa.open.phone\"}"), "buttons[1].payload", "is required"),
                // Contract v1.3: an unknown field is refused, not ignored.
                reject("a header's unknown field", t -> element(t, 1).put("colour", "red"), "elements[1].colour",
                        "is not a field of a header element (type, content, align)"),
                reject("a text's field on a banner", t -> element(t, 0).put("align", "left"), "elements[0].align",
                        "is not a field of a banner element (type, image_url)"),
                reject("a table's unknown field", t -> element(t, 3).put("title", "Đơn hàng"), "elements[3].title",
                        "is not a field of a table element (type, content)"),
                reject("a row's unknown field", t -> ((ObjectNode) rows(t).get(0)).put("colour", "red"), "elements[3].content[0].colour",
                        "is not a field of a table row (key, value, style)"),
                reject("a button's unknown field", t -> button(t, 0).put("note", "internal"), "buttons[0].note",
                        "is not a field of a button (title, image_icon, type, payload)"),
                reject("a url payload's unknown field", t -> ((ObjectNode) button(t, 0).get("payload")).put("target", "_blank"),
                        "buttons[0].payload.target", "is not a field of an oa.open.url payload (url)"),
                reject("a url field on a phone payload", t -> addButton(t, "{\"title\": \"g\", \"type\": \"oa.open.phone\", "
                        + "\"payload\": {\"phone_code\": \"19001234\", \"url\": \"https://shop.vn\"}}"),
                        "buttons[1].payload.url", "is not a field of an oa.open.phone payload (phone_code)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String name, Consumer<ObjectNode> edit, String field, String message) {
        ObjectNode template = template();
        edit.accept(template);
        assertThat(check(template)).anySatisfy(violation -> {
            assertThat(violation.field()).isEqualTo(field);
            assertThat(violation.message()).contains(message);
        });
    }

    @Test
    void reportsEveryViolationAtOnce() {
        ObjectNode template = template();
        template.put("language", "FR");
        element(template, 1).put("content", "x".repeat(101));
        ((ObjectNode) rows(template).get(1)).put("style", "pink");
        button(template, 0).put("title", "y".repeat(36));
        button(template, 0).put("type", "oa.open.app");

        assertThat(check(template)).extracting(Violation::field).containsExactly(
                "language", "elements[1].content", "elements[3].content[1].style", "buttons[0].title", "buttons[0].type");
    }

    @Test
    void thePayloadForZaloKeepsOnlyWhatZaloKnows() throws IOException {
        ObjectNode template = template();
        element(template, 1).put("colour", "red");
        button(template, 0).put("note", "internal");
        ((ObjectNode) rows(template).get(0)).put("style", "");
        template.put("send_at", "tomorrow");

        ObjectNode payload = ZaloTemplatePayload.of(template);

        assertThat(payload.fieldNames()).toIterable().containsExactly("template_type", "language", "elements", "buttons");
        assertThat(payload.at("/elements/1").has("colour")).isFalse();
        assertThat(payload.at("/buttons/0").has("note")).isFalse();
        assertThat(payload.at("/elements/3/content/0").has("style")).isFalse();
        assertThat(payload.at("/elements/3/content/1/style").asText()).isEqualTo("green");
        try (InputStream seed = getClass().getResourceAsStream("/templates/seed-transaction-order.json")) {
            JsonNode seedTemplate = JSON.readTree(seed);
            assertThat(ZaloTemplatePayload.of(seedTemplate)).isEqualTo(seedTemplate);
        }
    }

    static Arguments edit(String name, Consumer<ObjectNode> edit) {
        return Arguments.of(name, edit);
    }

    static Arguments reject(String name, Consumer<ObjectNode> edit, String field, String message) {
        return Arguments.of(name, edit, field, message);
    }
}
