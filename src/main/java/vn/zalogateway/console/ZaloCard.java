package vn.zalogateway.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A transaction message as the recipient sees it in Zalo: its elements in their order (banner, header,
 * texts with their line breaks, the table with its status colours) and its buttons. Read leniently from
 * any JSON, since the playground shows a card while it still breaks rules; whatever is not text is left out.
 * Values stay text: the template escapes them, and line breaks become separate lines, never markup.
 */
public record ZaloCard(List<Block> blocks, List<Button> buttons) {

    /** One element: {@code banner} (imageUrl), {@code header} and {@code text} (lines), {@code table} (rows). */
    public record Block(String type, String align, String imageUrl, List<String> lines, List<TableRow> rows) {
        public boolean banner() {
            return type.equals("banner");
        }

        public boolean header() {
            return type.equals("header");
        }

        public boolean text() {
            return type.equals("text");
        }

        public boolean table() {
            return type.equals("table");
        }
    }

    /** A table row; style is one of Zalo's status colours or empty. */
    public record TableRow(String key, String value, String style) {
    }

    /** A button, with what it does in words (the URL, the phone, the SMS) and its icon. */
    public record Button(String title, String type, String target, String iconUrl) {
    }

    private static final Pattern LINE_BREAK = Pattern.compile("(?i)<br\\s*/?>|\\r?\\n");
    private static final Set<String> ALIGNS = Set.of("left", "center", "right");
    private static final Set<String> STYLES = Set.of("green", "blue", "yellow", "red", "grey");

    public static ZaloCard of(JsonNode template) {
        List<Block> blocks = new ArrayList<>();
        JsonNode elements = template == null ? null : template.get("elements");
        if (elements != null && elements.isArray()) {
            for (JsonNode element : elements) {
                block(element).ifPresent(blocks::add);
            }
        }
        List<Button> buttons = new ArrayList<>();
        JsonNode buttonNodes = template == null ? null : template.get("buttons");
        if (buttonNodes != null && buttonNodes.isArray()) {
            for (JsonNode button : buttonNodes) {
                if (button.isObject()) {
                    buttons.add(new Button(text(button, "title"), text(button, "type"), target(button.get("payload")),
                            httpsUrl(text(button, "image_icon"))));
                }
            }
        }
        return new ZaloCard(List.copyOf(blocks), List.copyOf(buttons));
    }

    public boolean isEmpty() {
        return blocks.isEmpty() && buttons.isEmpty();
    }

    private static java.util.Optional<Block> block(JsonNode element) {
        if (!element.isObject()) {
            return java.util.Optional.empty();
        }
        String type = text(element, "type");
        String align = ALIGNS.contains(text(element, "align")) ? text(element, "align") : "left";
        return switch (type) {
            case "banner" -> java.util.Optional.of(new Block(type, align, httpsUrl(text(element, "image_url")), List.of(), List.of()));
            case "header", "text" -> java.util.Optional.of(new Block(type, align, null, lines(text(element, "content")), List.of()));
            case "table" -> {
                List<TableRow> rows = new ArrayList<>();
                JsonNode content = element.get("content");
                if (content != null && content.isArray()) {
                    for (JsonNode row : content) {
                        if (row.isObject()) {
                            String style = STYLES.contains(text(row, "style")) ? text(row, "style") : "";
                            rows.add(new TableRow(text(row, "key"), text(row, "value"), style));
                        }
                    }
                }
                yield java.util.Optional.of(new Block(type, align, null, List.of(), List.copyOf(rows)));
            }
            default -> java.util.Optional.empty();
        };
    }

    private static List<String> lines(String content) {
        return List.of(LINE_BREAK.split(content, -1));
    }

    private static String target(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return "";
        }
        if (payload.isTextual()) {
            return payload.asText();
        }
        for (String field : List.of("url", "phone_code", "content")) {
            if (payload.hasNonNull(field)) {
                return payload.get(field).asText();
            }
        }
        return "";
    }

    /**
     * Only https addresses become images (the console's Content-Security-Policy allows no other): never a
     * javascript:, data: or plain http: URL from a consumer's JSON. The card shows its placeholder instead.
     */
    private static String httpsUrl(String url) {
        return url.toLowerCase(java.util.Locale.ROOT).startsWith("https://") ? url : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}
