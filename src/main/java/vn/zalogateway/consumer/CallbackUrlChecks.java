package vn.zalogateway.consumer;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * The callback URL rules as beans, one for registration and sending alike: {@link CallbackUrls} with the
 * configured relaxations, looking hosts up with the {@link CallbackUrls.Resolver} bean (DNS; a test puts
 * one in its place that answers what the test says).
 */
@Singleton
class CallbackUrlChecks {

    @Produces
    @Singleton
    @DefaultBean
    CallbackUrls.Resolver dns() {
        return CallbackUrls.DNS;
    }

    @Produces
    @Singleton
    CallbackUrls callbackUrls(GatewayConfig config, CallbackUrls.Resolver resolver) {
        return new CallbackUrls(config.callbacks().allowHttp(), config.callbacks().allowPrivateNetworks(), resolver);
    }
}
