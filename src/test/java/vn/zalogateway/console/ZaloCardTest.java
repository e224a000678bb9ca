package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.Violation;

/** The card and the playground's verdict, from the seed's transaction_order example and broken copies of it. */
class ZaloCardTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    static ObjectNode seed() throws IOException {
        try (InputStream in = ZaloCardTest.class.getResourceAsStream("/templates/seed-transaction-order.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void theSeedsOrderCardHasItsElementsInOrder() throws IOException {
        ZaloCard card = ZaloCard.of(seed());
        assertThat(card.blocks()).extracting(ZaloCard.Block::type).containsExactly("banner", "header", "text", "table", "text");
        assertThat(card.blocks().get(0).imageUrl()).startsWith("https://minio.esms.vn/");
        assertThat(card.blocks().get(2).lines()).containsExactly("• Cảm ơn bạn đã mua hàng tại cửa hàng.", "• Thông tin đơn hàng của bạn như sau:");
        assertThat(card.blocks().get(3).rows()).containsExactly(new ZaloCard.TableRow("Mã khách hàng", "eSMS-001", ""),
                new ZaloCard.TableRow("Trạng thái", "Đang giao", "yellow"), new ZaloCard.TableRow("Giá tiền", "250,000đ", ""));
        assertThat(card.blocks().get(4).align()).isEqualTo("center");
        assertThat(card.buttons()).extracting(ZaloCard.Button::title, ZaloCard.Button::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Kiểm tra lộ trình", "https://esms.vn/huong-dan/huong-dan-tich-hop/huong-dan-tich-hop-api-cua-esms-vao-website"),
                org.assertj.core.groups.Tuple.tuple("Xem lại giỏ hàng", "https://esms.vn/huong-dan/huong-dan-su-dung"),
                org.assertj.core.groups.Tuple.tuple("Liên hệ tổng đài", "0901888484"));
    }

    @Test
    void whatCouldRunInTheOperatorsBrowserIsLeftOut() throws IOException {
        JsonNode template = JSON.readTree("""
                {"elements": [{"type": "banner", "image_url": "javascript:alert(1)"}, {"type": "header", "content": "<b>x</b>", "align": "evil"},
                 {"type": "table", "content": [{"key": "k", "value": "v", "style": "url(x)"}]}, {"type": "video"}, 42],
                 "buttons": [{"title": "t", "image_icon": "data:image/png;base64,AA", "payload": {"url": "https://shop.vn"}}]}""");
        ZaloCard card = ZaloCard.of(template);
        assertThat(card.blocks()).extracting(ZaloCard.Block::type).containsExactly("banner", "header", "table");
        assertThat(card.blocks().get(0).imageUrl()).isNull();
        assertThat(card.blocks().get(1).lines()).containsExactly("<b>x</b>"); // text: the template escapes it
        assertThat(card.blocks().get(1).align()).isEqualTo("left");
        assertThat(card.blocks().get(2).rows().get(0).style()).isEmpty();
        assertThat(card.buttons().get(0).iconUrl()).isNull();
        assertThat(ZaloCard.of(null).isEmpty()).isTrue();
    }

    @Test
    void onlyHttpsImagesAreShownAsTheConsolesPolicyAllowsNoOther() throws IOException {
        JsonNode template = JSON.readTree("""
                {"elements": [{"type": "banner", "image_url": "http://cdn.shop.vn/banner.png"},
                 {"type": "banner", "image_url": "HTTPS://cdn.shop.vn/banner.png"}],
                 "buttons": [{"title": "t", "image_icon": "http://cdn.shop.vn/icon.png"}, {"title": "u", "image_icon": "https://cdn.shop.vn/icon.png"}]}""");
        ZaloCard card = ZaloCard.of(template);
        assertThat(card.blocks()).extracting(ZaloCard.Block::imageUrl).containsExactly(null, "HTTPS://cdn.shop.vn/banner.png");
        assertThat(card.buttons()).extracting(ZaloCard.Button::iconUrl).containsExactly(null, "https://cdn.shop.vn/icon.png");
        assertThat(ConsoleRoutes.POLICY).contains("img-src 'self' https: data:;").doesNotContain("http:");
    }

    @Test
    void thePlaygroundReportsWhatTheApiWouldRefuse() throws IOException {
        ObjectNode message = seed().put("oa_id", "3041812345605770721").put("user_id", "5830123456789");
        Playground.Result valid = Playground.check(message.toString(), VIETNAM, Instant.now(), "https://gw.shop.vn");
        assertThat(valid.valid()).isTrue();
        assertThat(valid.curl()).startsWith("curl -X POST 'https://gw.shop.vn/v1/messages'").contains("Trạng thái đơn hàng");

        ((ObjectNode) message.get("elements").get(1)).put("content", "x".repeat(101));
        message.remove("user_id");
        Playground.Result broken = Playground.check(message.toString(), VIETNAM, Instant.now(), "https://gw.shop.vn");
        assertThat(broken.valid()).isFalse();
        assertThat(broken.violations()).extracting(Violation::field).containsExactlyInAnyOrder("elements[1].content", "user_id");
        assertThat(broken.card().blocks()).as("the card is drawn while rules are broken").hasSize(5);

        assertThat(Playground.check("{\"oa_id\": ", VIETNAM, Instant.now(), "x").violations())
                .extracting(Violation::field).containsExactly("body");
    }

    @Test
    void theCurlQuotesSingleQuotesForTheShell() throws IOException {
        assertThat(Playground.curl(JSON.readTree("{\"ext\": \"it's\"}"), "http://localhost:8080"))
                .endsWith("-d '{\"ext\":\"it'\\''s\"}'");
    }

    @Test
    void everyTemplateTypesSampleIsValid() {
        for (String type : vn.zalogateway.message.template.TemplateType.ALL) {
            Playground.Result result = Playground.check(Playground.sample(type), VIETNAM, Instant.now(), "x");
            assertThat(result.violations()).as(type).isEqualTo(List.of());
        }
    }
}
