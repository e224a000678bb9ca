package vn.zalogateway.message;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Final messages untouched for gateway.retention.messages, once their receipts are gone. */
@ApplicationScoped
class MessagesRetained implements RetainedRows {

    private final MessageLifecycle lifecycle;

    MessagesRetained(MessageLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public int order() {
        return MESSAGES;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("messages", settings.messages(), lifecycle::purge));
    }
}
