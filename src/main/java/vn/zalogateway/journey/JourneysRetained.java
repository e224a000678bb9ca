package vn.zalogateway.journey;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Journeys over and untouched for gateway.retention.messages, once no message or receipt points at them. */
@ApplicationScoped
class JourneysRetained implements RetainedRows {

    private final JourneyLifecycle lifecycle;

    JourneysRetained(JourneyLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public int order() {
        return JOURNEYS;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("journeys", settings.messages(), lifecycle::purge));
    }
}
