package vn.zalogateway.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Stored templates as consumers write them to POST /v1/templates. */
public final class StoredTemplates {

    private StoredTemplates() {
    }

    /** The contract's order-status template: a header, a two-row table, a button to the order; the status four characters at most. */
    public static ObjectNode orderStatus(String name, String header) {
        return orderStatus(name, header, 4);
    }

    /** The same, the status at most {@code statusMaxLength} characters. */
    public static ObjectNode orderStatus(String name, String header, int statusMaxLength) {
        ObjectNode body = Messages.JSON.createObjectNode().put("name", name).put("template_type", "transaction_order").put("language", "VI");
        var elements = body.putArray("elements");
        elements.addObject().put("type", "header").put("content", header);
        var table = elements.addObject().put("type", "table").putArray("content");
        table.addObject().put("key", "Mã đơn hàng").put("value", "{{order_code}}");
        table.addObject().put("key", "Trạng thái").put("value", "{{status}}").put("style", "green");
        body.putArray("buttons").addObject().put("title", "Xem đơn").put("type", "oa.open.url")
                .putObject("payload").put("url", "https://shop.vn/orders/{{order_code}}");
        ObjectNode placeholders = body.putObject("placeholders");
        placeholders.putObject("order_code").put("max_length", 20);
        placeholders.putObject("status").put("max_length", statusMaxLength);
        return body;
    }
}
