package vn.zalogateway.common.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated consumer of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class Caller {

    private String consumer;

    void authenticate(String consumerId) {
        this.consumer = consumerId;
    }

    /** A stable, non-secret id of the caller's API key (a hash prefix). */
    public String consumer() {
        if (consumer == null) {
            throw new IllegalStateException("No authenticated caller on this request");
        }
        return consumer;
    }
}
