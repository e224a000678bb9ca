package vn.zalogateway.callback;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * A consumer's callback URL, as a REST client built for that URL (see {@link CallbackSender}). Any
 * answer comes back as a Response, whatever its status: the sender decides what it means.
 */
@RegisterRestClient(configKey = "callbacks")
public interface CallbackReceiver {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> deliver(@HeaderParam("webhook-id") String id, @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signature, String body);
}
