package vn.zalogateway.message.template;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.UnknownFields;
import vn.zalogateway.common.problem.Violation;

/**
 * Every rule of the Zalo transaction template, checked before anything is stored, sent or charged.
 * It reads the consumer's JSON as it came, so a wrong type is reported like any other broken rule,
 * and it reports every violation at once, each with its JSON path.
 *
 * <p>Our reading of the element rules: one header is required; a banner, if any, is the first
 * element and comes once; the header precedes every text and table; at most two texts and one table.
 * Lengths count characters as a person sees them ({@link Graphemes}). A field the seed does not document for its object
 * ({@code elements[1].colour}, {@code buttons[0].payload.link}) is refused, not dropped: the consumer would believe it sent.
 */
public final class TransactionTemplateRules {

    public static final int MAX_HEADER = 100;
    public static final int MAX_TEXT = 250;
    public static final int MAX_TEXT_ELEMENTS = 2;
    public static final int MAX_TABLE_KEY = 25;
    public static final int MAX_TABLE_VALUE = 100;
    public static final int MAX_FREE_TABLE_ROWS = 5;
    public static final int MAX_BUTTONS = 4;
    public static final int MAX_BUTTON_TITLE = 35;
    public static final int MAX_QUERY_PAYLOAD = 1000;
    public static final int MAX_SMS_CONTENT = 160;
    public static final int MAX_URL = 2000;

    static final List<String> LANGUAGES = List.of("VI", "EN");
    static final List<String> ELEMENT_TYPES = List.of("banner", "header", "text", "table");
    static final List<String> ALIGNS = List.of("left", "center", "right", "");
    static final Set<String> STYLES = Set.of("green", "blue", "yellow", "red", "grey");
    static final List<String> BUTTON_TYPES = List.of("oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.sms",
            "oa.open.phone");
    /** The fields of each object, as the seed documents them: any other is refused (contract v1.3), never dropped. */
    static final List<String> BANNER_FIELDS = List.of("type", "image_url");
    static final List<String> TEXT_FIELDS = List.of("type", "content", "align");
    static final List<String> TABLE_FIELDS = List.of("type", "content");
    static final List<String> ROW_FIELDS = List.of("key", "value", "style");
    static final List<String> BUTTON_FIELDS = List.of("title", "image_icon", "type", "payload");
    private static final Pattern ATTACHMENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /**
     * The banner must be a jpg or png (seed). Only the URL is checked, never fetched: a gateway that fetched
     * consumers' URLs could be made to reach any address. So a path without an extension (image services,
     * the seed's own icon URLs) passes, and only an extension that names another format is refused.
     */
    private static final Pattern OTHER_IMAGE = Pattern.compile("\\.(gif|webp|bmp|svg|svgz|tif|tiff|heic|heif|avif|ico|jfif|pdf)$");
    private static final Pattern PHONE_CODE = Pattern.compile("\\+?[0-9]{3,15}");

    private TransactionTemplateRules() {
    }

    /** The violations of a template ({@code template_type}, {@code language}, {@code elements}, {@code buttons}); empty when it is valid. */
    public static List<Violation> check(JsonNode template) {
        Checks checks = new Checks();
        checks.oneOf(template, "template_type", "template_type", TemplateType.ALL, true);
        String language = checks.oneOf(template, "language", "language", LANGUAGES, true);
        checkElements(template.get("elements"), language, checks);
        checkButtons(template.get("buttons"), checks);
        return checks.violations;
    }

    private static void checkElements(JsonNode elements, String language, Checks checks) {
        if (elements == null || elements.isNull()) {
            checks.add("elements", "is required");
            return;
        }
        if (!elements.isArray()) {
            checks.add("elements", "must be an array");
            return;
        }
        int banners = 0;
        int headers = 0;
        int texts = 0;
        int tables = 0;
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String path = "elements[" + i + "]";
            if (!element.isObject()) {
                checks.add(path, "must be an object");
                continue;
            }
            String type = checks.oneOf(element, "type", path + ".type", ELEMENT_TYPES, true);
            if (type == null) {
                continue;
            }
            switch (type) {
                case "banner" -> {
                    banners++;
                    if (i != 0) {
                        checks.add(path, "a banner must be the first element");
                    } else if (banners > 1) {
                        checks.add(path, "at most one banner is allowed");
                    }
                    checkBannerUrl(element, path, checks);
                    checks.unknown(element, path, "a banner element", BANNER_FIELDS);
                }
                case "header" -> {
                    headers++;
                    if (headers > 1) {
                        checks.add(path, "at most one header is allowed");
                    } else if (texts + tables > 0) {
                        checks.add(path, "the header must come before every text and table element");
                    }
                    checks.text(element, "content", path + ".content", true, MAX_HEADER);
                    checks.oneOf(element, "align", path + ".align", ALIGNS, false);
                    checks.unknown(element, path, "a header element", TEXT_FIELDS);
                }
                case "text" -> {
                    texts++;
                    if (texts > MAX_TEXT_ELEMENTS) {
                        checks.add(path, "at most " + MAX_TEXT_ELEMENTS + " text elements are allowed");
                    }
                    checks.text(element, "content", path + ".content", true, MAX_TEXT);
                    checks.oneOf(element, "align", path + ".align", ALIGNS, false);
                    checks.unknown(element, path, "a text element", TEXT_FIELDS);
                }
                default -> {
                    tables++;
                    if (tables > 1) {
                        checks.add(path, "at most one table is allowed");
                    }
                    checkTable(element.get("content"), path + ".content", language, checks);
                    checks.unknown(element, path, "a table element", TABLE_FIELDS);
                }
            }
        }
        if (headers == 0) {
            checks.add("elements", "must contain a header element");
        }
    }

    private static void checkBannerUrl(JsonNode banner, String path, Checks checks) {
        String url = checks.text(banner, "image_url", path + ".image_url", true, MAX_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        URI uri = httpUri(url);
        String imagePath = uri == null || uri.getRawPath() == null ? "" : uri.getRawPath().toLowerCase(Locale.ROOT);
        if (uri == null) {
            checks.add(path + ".image_url", "must be an absolute http(s) URL");
        } else if (OTHER_IMAGE.matcher(imagePath).find()) {
            checks.add(path + ".image_url", "must point to a jpg or png image, not " + imagePath.substring(imagePath.lastIndexOf('.')));
        }
    }

    private static void checkTable(JsonNode rows, String path, String language, Checks checks) {
        if (rows == null || rows.isNull()) {
            checks.add(path, "is required");
            return;
        }
        if (!rows.isArray() || rows.isEmpty()) {
            checks.add(path, rows.isArray() ? "must have at least one row" : "must be an array of {key, value} rows");
            return;
        }
        TableKeys keys = TableKeys.of(language);
        boolean identified = false;
        boolean statusSeen = false;
        int freeRows = 0;
        for (int j = 0; j < rows.size(); j++) {
            JsonNode row = rows.get(j);
            String rowPath = path + "[" + j + "]";
            if (!row.isObject()) {
                checks.add(rowPath, "must be an object with key and value");
                continue;
            }
            String key = checks.text(row, "key", rowPath + ".key", true, MAX_TABLE_KEY);
            checks.text(row, "value", rowPath + ".value", true, MAX_TABLE_VALUE);
            checks.unknown(row, rowPath, "a table row", ROW_FIELDS);
            String composedKey = key == null ? "" : Normalizer.normalize(key.strip(), Normalizer.Form.NFC);
            boolean statusRow = keys != null && keys.isStatus(composedKey);
            JsonNode style = row.get("style");
            if (style != null && !style.isNull() && !(style.isTextual() && style.asText().isEmpty())) {
                if (keys != null && !statusRow) {
                    checks.add(rowPath + ".style", "is allowed only on the " + keys.status() + " row");
                } else if (!style.isTextual() || !STYLES.contains(style.asText())) {
                    checks.add(rowPath + ".style", "must be one of: green, blue, yellow, red, grey");
                }
            }
            if (keys == null) {
                continue;
            }
            if (!identified && keys.identifies(composedKey)) {
                identified = true;
            } else if (!statusSeen && statusRow) {
                statusSeen = true;
            } else {
                freeRows++;
            }
        }
        if (keys != null && !identified) {
            checks.add(path, "must contain an identifying row: " + keys.identifyingRule());
        }
        if (freeRows > MAX_FREE_TABLE_ROWS) {
            checks.add(path, "at most " + MAX_FREE_TABLE_ROWS + " rows are allowed besides the identifying and "
                    + (keys == null ? "status" : keys.status()) + " rows (found " + freeRows + ")");
        }
    }

    private static void checkButtons(JsonNode buttons, Checks checks) {
        if (buttons == null || buttons.isNull()) {
            return;
        }
        if (!buttons.isArray()) {
            checks.add("buttons", "must be an array");
            return;
        }
        if (buttons.size() > MAX_BUTTONS) {
            checks.add("buttons", "at most " + MAX_BUTTONS + " buttons are allowed (found " + buttons.size() + ")");
        }
        for (int k = 0; k < buttons.size(); k++) {
            JsonNode button = buttons.get(k);
            String path = "buttons[" + k + "]";
            if (!button.isObject()) {
                checks.add(path, "must be an object");
                continue;
            }
            checks.text(button, "title", path + ".title", true, MAX_BUTTON_TITLE);
            String icon = checks.text(button, "image_icon", path + ".image_icon", false, MAX_URL);
            if (icon != null && !icon.isEmpty() && !icon.equals("default") && httpUri(icon) == null
                    && !ATTACHMENT_ID.matcher(icon).matches()) {
                checks.add(path + ".image_icon", "must be empty, \"default\", an http(s) image URL or an attachment id");
            }
            String type = checks.oneOf(button, "type", path + ".type", BUTTON_TYPES, true);
            if (type != null) {
                checkButtonPayload(type, button.get("payload"), path + ".payload", checks);
            }
            checks.unknown(button, path, "a button", BUTTON_FIELDS);
        }
    }

    private static void checkButtonPayload(String type, JsonNode payload, String path, Checks checks) {
        if (type.startsWith("oa.query.")) {
            checks.text(payload, path, true, MAX_QUERY_PAYLOAD);
            return;
        }
        if (payload == null || payload.isNull()) {
            checks.add(path, "is required");
            return;
        }
        if (!payload.isObject()) {
            checks.add(path, "must be an object for " + type);
            return;
        }
        // A lone phoneCode has its own pointer to phone_code (checkPhoneCode): one violation for it, not two.
        JsonNode named = payload.has("phoneCode") && !payload.has("phone_code")
                ? ((ObjectNode) payload).deepCopy().without("phoneCode") : payload;
        checks.unknown(named, path, "an " + type + " payload", switch (type) {
            case "oa.open.url" -> List.of("url");
            case "oa.open.sms" -> List.of("content", "phone_code");
            default -> List.of("phone_code");
        });
        switch (type) {
            case "oa.open.url" -> {
                String url = checks.text(payload, "url", path + ".url", true, MAX_URL);
                if (url != null && !url.isBlank() && httpUri(url) == null) {
                    checks.add(path + ".url", "must be an absolute http(s) URL");
                }
            }
            case "oa.open.sms" -> {
                checks.text(payload, "content", path + ".content", true, MAX_SMS_CONTENT);
                checkPhoneCode(payload, path, checks);
            }
            default -> checkPhoneCode(payload, path, checks);
        }
    }

    /** {@code phone_code}, as the seed's examples and Zalo spell it; its prose says phoneCode, so that spelling gets a pointer. */
    private static void checkPhoneCode(JsonNode payload, String path, Checks checks) {
        if (payload != null && payload.isObject() && payload.has("phoneCode") && !payload.has("phone_code")) {
            checks.add(path + ".phoneCode", "is spelt phone_code (as in the seed's examples and Zalo's API)");
            return;
        }
        String phone = checks.text(payload, "phone_code", path + ".phone_code", true, 16);
        if (phone != null && !phone.isBlank() && !PHONE_CODE.matcher(phone).matches()) {
            checks.add(path + ".phone_code", "must be a phone number in digits, e.g. 84919018791 or 19001234");
        }
    }

    /** The URL when it is absolute http(s) with a host; null otherwise. */
    static URI httpUri(String text) {
        if (text.length() > MAX_URL) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException malformed) {
            return null;
        }
    }

    /** The identifying and status keys of a language's table. */
    private record TableKeys(String identifyingRule, String status, boolean vietnamese) {

        static TableKeys of(String language) {
            if ("VI".equals(language)) {
                return new TableKeys("a key starting with \"Mã\", or the key \"Tên khách hàng\"", "Trạng thái", true);
            }
            if ("EN".equals(language)) {
                return new TableKeys("a key containing \"Code\", or the key \"Customer Name\"", "Status", false);
            }
            return null; // language already reported; its table rules cannot be told
        }

        boolean identifies(String key) {
            return vietnamese ? key.startsWith("Mã") || key.equals("Tên khách hàng")
                    : key.contains("Code") || key.equals("Customer Name");
        }

        boolean isStatus(String key) {
            return key.equals(status);
        }
    }

    /** Collects violations; each check reports what it found and hands back the value for further rules. */
    private static final class Checks {
        final List<Violation> violations = new ArrayList<>();

        void add(String path, String message) {
            violations.add(new Violation(path, message));
        }

        /** A violation for each field of {@code node} that {@code what} does not have. */
        void unknown(JsonNode node, String path, String what, List<String> known) {
            UnknownFields.check(node, path + ".", what, known, violations);
        }

        /** A string field: present when required, a string, not blank when required, within the limit. */
        String text(JsonNode parent, String field, String path, boolean required, int max) {
            return text(parent == null ? null : parent.get(field), path, required, max);
        }

        String text(JsonNode value, String path, boolean required, int max) {
            if (value == null || value.isNull()) {
                if (required) {
                    add(path, "is required");
                }
                return null;
            }
            if (!value.isTextual()) {
                add(path, "must be a string");
                return null;
            }
            String text = value.asText();
            if (required && text.isBlank()) {
                add(path, "must not be blank");
            } else if (Graphemes.exceed(text, max)) {
                add(path, "must be at most " + max + " characters (has " + Graphemes.count(text) + ")");
            }
            return text;
        }

        /** A string field that must be one of the given values; null unless it is one. */
        String oneOf(JsonNode parent, String field, String path, List<String> allowed, boolean required) {
            JsonNode value = parent.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    add(path, "is required");
                }
                return null;
            }
            if (value.isTextual() && allowed.contains(value.asText())) {
                return value.asText();
            }
            List<String> shown = allowed.stream().filter(a -> !a.isEmpty()).toList();
            add(path, "must be one of: " + String.join(", ", shown));
            return null;
        }
    }
}
