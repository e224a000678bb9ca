package vn.zalogateway.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A problem's {@code instance} names the path, never a webhook's secret, however the path was written. */
class RedactedInstanceTest {

    @ParameterizedTest
    @CsvSource({
            "/v1/webhooks/nxcloud/s3cret,              /v1/webhooks/nxcloud/***",
            "/v1/webhooks/esms/s3cret,                 /v1/webhooks/esms/***",
            "/v1/webhooks/nxcloud/s3cret/more,         /v1/webhooks/nxcloud/***",
            "/v1/webhooks/esms/s3cret/,                /v1/webhooks/esms/***",
            "/v1/webhooks//nxcloud//s3cret,            /v1/webhooks//nxcloud//***",
            "/V1/WEBHOOKS/NXCLOUD/s3cret,              /V1/WEBHOOKS/NXCLOUD/***",
            "/v1/webhooks/s3cret,                      /v1/webhooks/***",
            "/v1/webhooks/s3cret/nxcloud,              /v1/webhooks/***",
            "/v1/webhooks%2Fnxcloud%2Fs3cret,          /v1/webhooks%2Fnxcloud%2F***",
            "/v1%2Fwebhooks%2Fs3cret,                  /v1%2Fwebhooks%2F***",
            "/v1/messages/0190a0a0-0000-7000-8000-000000000001, /v1/messages/0190a0a0-0000-7000-8000-000000000001",
            "/v1/webhooks,                             /v1/webhooks" })
    void aWebhookSecretIsNeverEchoed(String path, String instance) {
        assertThat(ProblemMappers.redacted(path)).isEqualTo(instance).doesNotContain("s3cret");
    }
}
