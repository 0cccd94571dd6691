package dev.pooltasks.e2e;

import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP clients of these tests, on HTTP/1.1 as the README's client example is. The JDK client's default for a
 * plain {@code http://} URL is an h2c upgrade, which now and then never completes an answer longer than one HTTP/2
 * frame although the server sent it whole (README, "The Java client"); a test would then wait for the server's idle
 * timeout (30 minutes) instead of going on. Only tests of HTTP/2 itself ask for it by name.
 */
final class JdkHttp {
    private JdkHttp() {
    }

    /** HTTP/1.1 with a 5 s connect timeout; callers may change the timeout. */
    static HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    }

    static HttpClient client() {
        return builder().build();
    }

    /** The generated client for the instance at {@code baseUri}, with a 30 s response timeout. */
    static DesktopPoolScriptTasksApi api(String baseUri) {
        ApiClient client = new ApiClient();
        client.setHttpClientBuilder(builder());
        client.updateBaseUri(baseUri);
        client.setReadTimeout(Duration.ofSeconds(30));
        return new DesktopPoolScriptTasksApi(client);
    }
}
