package dev.pooltasks.adapter.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The one writer of the error shape and the one table it reads. */
class ErrorResponsesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesCodeMessageAndDetailInTheContractsOrder() {
        assertThat(text(ErrorResponses.json(ApiError.INVALID_PARAMETER, "limit must be between 0 and 100", "limit")))
                .isEqualTo("{\"error_code\":\"WKS.1001\",\"error_msg\":\"limit must be between 0 and 100\","
                        + "\"error_detail\":\"limit\"}");
    }

    @Test
    void withoutADetailThereIsNoDetailField() {
        assertThat(text(ErrorResponses.json(ApiError.RESOURCE_NOT_FOUND, null, null)))
                .isEqualTo("{\"error_code\":\"WKS.1003\",\"error_msg\":\"resource not found\"}");
    }

    @ParameterizedTest
    @EnumSource(ApiError.class)
    void withoutAMessageTheTablesIsWritten(ApiError error) throws Exception {
        JsonNode body = JSON.readTree(ErrorResponses.json(error, null, null));

        assertThat(body.path("error_code").asText()).isEqualTo(error.code());
        assertThat(body.path("error_msg").asText()).isEqualTo(error.message()).isNotBlank();
        assertThat(body.has("error_detail")).isFalse();
    }

    @Test
    void anythingInAMessageOrDetailIsEscaped() throws Exception {
        String hostile = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 unicode \u5907\uD83D\uDE00 </script>";

        byte[] written = ErrorResponses.json(ApiError.INVALID_PARAMETER, hostile, hostile);
        JsonNode body = JSON.readTree(written);

        assertThat(body.path("error_msg").asText()).isEqualTo(hostile);
        assertThat(body.path("error_detail").asText()).isEqualTo(hostile);
        assertThat(text(written)).doesNotContain("\n").doesNotContain("\u0000");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "400, 400, WKS.1001", "401, 401, WKS.1001", "404, 404, WKS.1003", "405, 405, WKS.1004",
            "406, 406, WKS.1005", "413, 413, WKS.1001", "414, 414, WKS.1008", "415, 415, WKS.1001",
            "431, 431, WKS.1009", "500, 500, WKS.1099", "502, 500, WKS.1099", "503, 500, WKS.1099",
            "200, 500, WKS.1099", "302, 500, WKS.1099", "-1, 500, WKS.1099",
    })
    void aBareStatusIsAnsweredFromTheTable(int status, int answered, String code) throws Exception {
        Response response = ErrorResponses.forStatus(status);

        assertThat(response.getStatus()).isEqualTo(answered);
        assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        JsonNode body = JSON.readTree((byte[]) response.getEntity());
        assertThat(body.path("error_code").asText()).isEqualTo(code);
        assertThat(body.path("error_msg").asText()).isEqualTo(ApiError.forStatus(status).message());
    }

    @Test
    void aThrottledAnswerSaysWhenToRetry() throws Exception {
        Response response = ErrorResponses.of(ApiError.THROTTLED, null, null, 17);

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("17");
        assertThat(JSON.readTree((byte[]) response.getEntity()).path("error_code").asText()).isEqualTo("APIG.0308");
    }

    @ParameterizedTest
    @EnumSource(ApiError.class)
    void everyErrorIsAClientOrServerErrorWithACodeOfItsOwnKind(ApiError error) {
        assertThat(error.httpStatus()).isBetween(400, 599);
        assertThat(error.code()).matches("(WKS\\.1\\d{3})|(APIG\\.03\\d{2})");
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
