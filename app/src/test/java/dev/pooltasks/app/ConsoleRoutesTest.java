package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's routes: relative redirects to it, its files with a policy of this origin only, its chart library. */
@QuarkusTest
class ConsoleRoutesTest {

    @Test
    void theRootRedirectsToTheConsoleOnTheSandboxProjectWhenAuthenticationIsOff() {
        Response root = given().redirects().follow(false).when().get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("console/?project_id=" + TaskApi.PROJECT);

        Response console = given().redirects().follow(false).when().get("/console");
        assertThat(console.statusCode()).isEqualTo(302);
        assertThat(console.header("Location")).isEqualTo("console/");
    }

    @Test
    void theConsoleIsServedWithAPolicyOfThisOriginOnlyAndRevalidated() {
        Response page = given().when().get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.asString()).contains("src=\"../webjars/echarts/5.3.1/dist/echarts.min.js\"")
                .doesNotContain("${").doesNotContain("http://").doesNotContain("https://");
        for (String file : new String[] {"console.js", "console.css"}) {
            Response asset = given().when().get("/console/" + file);
            assertThat(asset.statusCode()).as(file).isEqualTo(200);
            assertThat(asset.asString()).as(file).doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(given().when().get("/console/favicon.svg").statusCode()).isEqualTo(200);
        assertThat(given().when().get("/webjars/echarts/5.3.1/dist/echarts.min.js").statusCode()).isEqualTo(200);
    }
}
