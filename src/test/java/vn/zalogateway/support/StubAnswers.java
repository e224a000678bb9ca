package vn.zalogateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Answers the WireMock stand-ins give. */
public final class StubAnswers {

    private StubAnswers() {
    }

    /** 200 with this JSON body. */
    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
