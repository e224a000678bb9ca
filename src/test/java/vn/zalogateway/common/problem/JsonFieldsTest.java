package vn.zalogateway.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonFieldsTest {

    @ParameterizedTest
    @CsvSource({ "oaId, oa_id", "phone, phone", "tokenType, token_type", "imageURL, image_u_r_l", "x, x" })
    void namesJavaPropertiesInSnakeCase(String java, String json) {
        assertThat(JsonFields.snakeCase(java)).isEqualTo(json);
    }
}
