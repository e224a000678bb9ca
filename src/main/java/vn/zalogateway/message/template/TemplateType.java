package vn.zalogateway.message.template;

import java.util.List;

/** The 13 Zalo transaction templates eSMS sends. */
public final class TemplateType {

    public static final List<String> ALL = List.of(
            "transaction_billing", "transaction_order", "transaction_reward", "transaction_contract",
            "transaction_booking", "transaction_membership", "transaction_event", "transaction_transaction",
            "transaction_account", "transaction_internal", "transaction_partnership", "transaction_education",
            "transaction_rating");

    private TemplateType() {
    }
}
