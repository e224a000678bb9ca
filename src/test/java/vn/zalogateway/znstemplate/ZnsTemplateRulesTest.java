package vn.zalogateway.znstemplate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.provider.ZnsTemplateInfo;

/** ZnsTemplateRules by tables: no Quarkus, no database. */
class ZnsTemplateRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final ZnsTemplateInfo DELIVERY = new ZnsTemplateInfo(231456, "Delivery", "ENABLE", "HIGH", "IN_TRANSACTION", List.of(
            new ZnsTemplateInfo.Param("order_code", "STRING", true, false, 3, 10),
            new ZnsTemplateInfo.Param("weight_kg", "NUMBER", true, false, 1, 6),
            new ZnsTemplateInfo.Param("delivered_on", "DATE", false, true, 10, 20),
            new ZnsTemplateInfo.Param("note", null, false, true, null, null)), 500, 480);

    static JsonNode data(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aFittingMessageHasNoViolation() {
        assertThat(ZnsTemplateRules.parameters(DELIVERY, data("""
                {"order_code": "DH-001", "weight_kg": 2.5, "delivered_on": "23/11/2026", "note": "anything at all"}"""))).isEmpty();
        assertThat(ZnsTemplateRules.parameters(DELIVERY, data("{\"order_code\": \"DH-001\", \"weight_kg\": \"1.250\"}"))).isEmpty();
        assertThat(ZnsTemplateRules.refusal(1L, DELIVERY, data("{\"order_code\": \"DH-001\", \"weight_kg\": 3}"))).isNull();
    }

    @Test
    void everyBrokenParameterIsListedAtOnce() {
        List<Violation> violations = ZnsTemplateRules.parameters(DELIVERY, data("""
                {"order_code": "DH", "weight_kg": "heavy", "delivered_on": "2026-11-23", "colour": "red"}"""));
        assertThat(violations).extracting(Violation::field).containsExactly("template_data.order_code",
                "template_data.weight_kg", "template_data.delivered_on", "template_data.colour");
        assertThat(violations.get(0).message()).contains("at least 3");
        assertThat(violations.get(1).message()).isEqualTo("must be a number");
        assertThat(violations.get(2).message()).contains("dd/MM/yyyy");
        assertThat(violations.get(3).message()).contains("is not a parameter of template 231456").contains("order_code, weight_kg");

        List<Violation> missing = ZnsTemplateRules.parameters(DELIVERY, data("{\"order_code\": \"DH-0000000001\"}"));
        assertThat(missing).extracting(Violation::field, Violation::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("template_data.order_code", "must be at most 10 characters (it has 13)"),
                org.assertj.core.groups.Tuple.tuple("template_data.weight_kg", "is required by template 231456"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NUMBER | 12       | true",
            "NUMBER | -3,5     | true",
            "NUMBER | 1.250.000| true",
            "NUMBER | 12a      | false",
            "NUMBER | ''       | true",
            "DATE   | 23/11/2026 | true",
            "DATE   | 08:30 23/11/2026 | true",
            "DATE   | 08:30:15 23/11/2026 | true",
            "DATE   | 31/02/2026 | false",
            "DATE   | 2026-11-23 | false",
            "DATE   | 23/11/26   | false",
            "STRING | whatever | true",
            "EMAIL  | whatever | true"})
    void typesAreCheckedAsTheProvidersNameThem(String type, String value, boolean fits) {
        ZnsTemplateInfo template = new ZnsTemplateInfo(1, null, "ENABLE", null, null,
                List.of(new ZnsTemplateInfo.Param("p", type, false, true, null, null)), null, null);
        assertThat(ZnsTemplateRules.parameters(template, JSON.createObjectNode().put("p", value))).as("%s %s", type, value)
                .hasSize(fits ? 0 : 1);
    }

    @Test
    void lengthsCountCharactersNotBytes() {
        ZnsTemplateInfo template = new ZnsTemplateInfo(1, null, "ENABLE", null, null,
                List.of(new ZnsTemplateInfo.Param("status", "STRING", true, false, 1, 9)), null, null);
        assertThat(ZnsTemplateRules.parameters(template, JSON.createObjectNode().put("status", "Đang giao"))).isEmpty();
        assertThat(ZnsTemplateRules.parameters(template, JSON.createObjectNode().put("status", "")))
                .extracting(Violation::message).containsExactly("must not be empty: template 1 requires it");
    }

    @ParameterizedTest
    @CsvSource({"REJECT", "PENDING_REVIEW", "DISABLE", "DELETE"})
    void aTemplateNotEnabledIsA422OnTemplateId(String status) {
        ZnsTemplateInfo template = new ZnsTemplateInfo(7, null, status, null, null, List.of(), null, null);
        ProblemException refusal = ZnsTemplateRules.refusal(42L, template, data("{}"));
        assertThat(refusal.problem().status()).isEqualTo(422);
        assertThat(refusal.problem().violations()).extracting(Violation::field).containsExactly("template_id");
        assertThat(refusal.problem().detail()).contains(status).contains("ENABLE");
    }

    @Test
    void anUnknownTemplateIsA400OnTemplateId() {
        ProblemException unknown = ZnsTemplateRules.unknown(42L, 9);
        assertThat(unknown.problem().status()).isEqualTo(400);
        assertThat(unknown.problem().violations()).extracting(Violation::field).containsExactly("template_id");
    }
}
