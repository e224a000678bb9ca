package vn.zalogateway.storedtemplate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/** Finding, filling and checking {{placeholders}}: plain code, no server. */
class PlaceholdersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final String TEMPLATE = """
            {'name': 'order-status', 'template_type': 'transaction_order', 'language': 'VI',
             'elements': [{'type': 'header', 'content': 'Đơn hàng {{order_code}}'},
                          {'type': 'table', 'content': [{'key': 'Mã đơn hàng', 'value': '{{order_code}}'},
                                                        {'key': 'Trạng thái', 'value': '{{status}}', 'style': 'green'}]}],
             'buttons': [{'title': 'Xem đơn', 'type': 'oa.open.url', 'payload': {'url': 'https://shop.vn/o/{{order_code}}'}}],
             'placeholders': {'order_code': {'max_length': 20}, 'status': {'max_length': 30}}}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Đơn {{a}} và {{b_2}}|Đơn A và B2",
            "{{a}}{{a}}|AA",
            "no marks|no marks",
            "{{unknown}} stays|{{unknown}} stays",
            "{ {a}} {{a} }|{ {a}} {{a} }",
            "{{{a}}}|{A}" })
    void fillsEveryMarkInOnePass(String text, String filled) {
        assertThat(Placeholders.fillText(text, Map.of("a", "A", "b_2", "B2")::get)).isEqualTo(filled);
    }

    @Test
    void aValueHoldingAMarkIsPutInAsItIsNeverFilledAgain() {
        assertThat(Placeholders.fillText("{{a}} {{b}}", Map.of("a", "{{b}}", "b", "$1 \\x")::get)).isEqualTo("{{b}} $1 \\x");
    }

    @Test
    void findsEveryMarkWithThePathOfItsString() {
        List<Placeholders.Use> uses = Placeholders.find(json(TEMPLATE), "");
        assertThat(uses).containsExactly(
                new Placeholders.Use("elements[0].content", "order_code"),
                new Placeholders.Use("elements[1].content[0].value", "order_code"),
                new Placeholders.Use("elements[1].content[1].value", "status"),
                new Placeholders.Use("buttons[0].payload.url", "order_code"));
        assertThat(Placeholders.find(json("{'x': '{{Bad Name}} {{ok}} {{}}'}"), "").stream().map(Placeholders.Use::wellFormed))
                .containsExactly(false, true, false);
    }

    @Test
    void fillsStringsAnywhereAndLeavesEverythingElse() {
        JsonNode filled = Placeholders.fill(json("{'a': ['x {{p}}', 3, true, null, {'b': '{{p}}'}], '{{p}}': 1}"),
                Map.of("p", "P")::get);
        assertThat(filled).isEqualTo(json("{'a': ['x P', 3, true, null, {'b': 'P'}], '{{p}}': 1}"));
    }

    @Test
    void theFillerIsAsLongAsTheLongestValue() {
        assertThat(Placeholders.filler(5)).isEqualTo("00000");
    }

    @Test
    void aTemplateIsCheckedWithEachPlaceholderAtItsLongest() {
        TemplateRequests.Draft draft = TemplateRequests.create(json(TEMPLATE));
        assertThat(draft.name()).isEqualTo("order-status");
        assertThat(draft.placeholders()).containsExactly(Map.entry("order_code", 20), Map.entry("status", 30));

        // 'Đơn hàng ' is 9 characters: with order_code at 92 the header is 101, one more than Zalo's 100
        JsonNode tooLong = json(TEMPLATE.replace("'max_length': 20", "'max_length': 92"));
        assertThat(violations(tooLong)).anySatisfy(v -> {
            assertThat(v.field()).isEqualTo("elements[0].content");
            assertThat(v.message()).contains("at most 100").contains("{{order_code}} at its longest, 92");
        });
        // at 91 the header fits, but the table value (at most 100) is still fine and so is every other rule
        assertThat(TemplateRequests.create(json(TEMPLATE.replace("'max_length': 20", "'max_length': 91"))).placeholders())
                .containsEntry("order_code", 91);
    }

    @Test
    void aPlaceholderUsedButNotDeclaredOrBadlyNamedIsRefusedAtSave() {
        JsonNode undeclared = json(TEMPLATE.replace(", 'status': {'max_length': 30}", ""));
        assertThat(violations(undeclared)).extracting(Violation::field).contains("elements[1].content[1].value");
        JsonNode badName = json(TEMPLATE.replace("Đơn hàng {{order_code}}", "Đơn hàng {{Order-Code}}"));
        assertThat(violations(badName)).anySatisfy(v -> {
            assertThat(v.field()).isEqualTo("elements[0].content");
            assertThat(v.message()).contains("{{Order-Code}} is not a placeholder");
        });
        JsonNode unused = json(TEMPLATE.replace("'status': {'max_length': 30}", "'status': {'max_length': 30}, 'note': {'max_length': 5}"));
        assertThat(violations(unused)).extracting(Violation::field).containsExactly("placeholders.note");
        JsonNode badDeclaration = json(TEMPLATE.replace("'max_length': 30", "'max_length': 0"));
        assertThat(violations(badDeclaration)).extracting(Violation::field).containsExactly("placeholders.status.max_length");
    }

    @Test
    void aDigitFillerLetsAPhoneCodePlaceholderPassItsFormAndOnlyItsLengthDecides() {
        String phone = TEMPLATE.replace("{'title': 'Xem đơn', 'type': 'oa.open.url', 'payload': {'url': 'https://shop.vn/o/{{order_code}}'}}",
                "{'title': 'Gọi', 'type': 'oa.open.phone', 'payload': {'phone_code': '{{hotline}}'}}")
                .replace("'status': {'max_length': 30}", "'status': {'max_length': 30}, 'hotline': {'max_length': 12}");
        assertThat(TemplateRequests.create(json(phone)).placeholders()).containsKey("hotline");
        assertThat(violations(json(phone.replace("'max_length': 12", "'max_length': 17"))))
                .extracting(Violation::field).containsOnly("buttons[0].payload.phone_code");
    }

    @Test
    void fillingAVersionChecksEachValue() {
        TemplateRequests.Draft draft = TemplateRequests.create(json(TEMPLATE));
        TemplateVersion version = new TemplateVersion(UUID.randomUUID(), UUID.randomUUID(), draft.name(), 3, draft.templateType(),
                draft.language(), draft.elements(), draft.buttons(), draft.placeholders(), Instant.now());

        TemplateFilling.Filled filled = TemplateFilling.fill(version, json("{'order_code': 'DH-001', 'status': 'Đang giao'}"));
        assertThat(filled.violations()).isEmpty();
        assertThat(filled.content().at("/elements/0/content").asText()).isEqualTo("Đơn hàng DH-001");
        assertThat(filled.content().at("/buttons/0/payload/url").asText()).isEqualTo("https://shop.vn/o/DH-001");
        assertThat(filled.content().get("template_type").asText()).isEqualTo("transaction_order");

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("template.data.order_code", "must be at most 20 characters (has 21)");
        expected.put("template.data.colour", "is not a placeholder of order-status version 3 (it has: order_code, status)");
        expected.put("template.data.status", "is required");
        TemplateFilling.Filled wrong = TemplateFilling.fill(version, json("{'order_code': '" + "x".repeat(21) + "', 'colour': 'red'}"));
        assertThat(wrong.violations()).extracting(Violation::field, Violation::message)
                .containsExactlyInAnyOrderElementsOf(expected.entrySet().stream()
                        .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue())).toList());
        // meanwhile filled at their longest, so that the rest of the message is still checked
        assertThat(wrong.content().at("/elements/0/content").asText()).isEqualTo("Đơn hàng " + "0".repeat(20));

        assertThat(TemplateFilling.fill(version, json("{'order_code': 7, 'status': ['x']}")).violations())
                .extracting(Violation::field, Violation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("template.data.status", "must be a string or a number"));
    }

    static List<Violation> violations(JsonNode body) {
        try {
            TemplateRequests.create(body);
        } catch (ProblemException invalid) {
            return invalid.problem().violations();
        }
        throw new AssertionError("expected the template to be refused: " + body);
    }
}
