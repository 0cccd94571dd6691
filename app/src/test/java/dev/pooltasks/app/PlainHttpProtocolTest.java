package dev.pooltasks.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain HTTP is answered in HTTP/1.1 even to a client that offers the h2c upgrade (NoClearTextHttp2). */
@QuarkusTest
class PlainHttpProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v2/" + TaskApi.PROJECT + "/desktop-pools/script-execution-tasks/detail?limit=100")
    URI page;

    @Test
    void theJdkClientsDefaultHttp2OfferGetsAFullAnswerInHttp11() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpClient fresh = HttpClient.newHttpClient();   // prefers HTTP/2: offers "Upgrade: h2c" on http://
            assertThat(fresh.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<String> answer = fresh.sendAsync(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);

            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body().length()).as("longer than one HTTP/2 frame").isGreaterThan(16_384);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("script_execution_tasks")).hasSize(100);
        }
    }
}
