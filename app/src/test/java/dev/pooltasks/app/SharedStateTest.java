package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The application with {@code pooltasks.redis.url} set, on the machine's Redis under a key prefix of its own: the
 * caller's rate budget is Redis's (what Redis holds decides), readiness says the state is shared and stays UP, and the
 * {@code pooltasks_redis_*} metrics count the calls.
 */
@QuarkusTest
@TestProfile(SharedStateTest.WithRedis.class)
class SharedStateTest {
    static final String URL = System.getProperty("pooltasks.test.redis.url", "redis://127.0.0.1:6379");
    static final String PREFIX = "pooltasks-test:SharedStateTest:" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TOKEN = "shared-state-test-token";
    private static final String BUCKET = PREFIX + ":budget:caller:token:ops";

    private static Vertx vertx;
    private static Redis redis;

    public static final class WithRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pooltasks.redis.url", URL,
                    "pooltasks.redis.key-prefix", PREFIX,
                    // a loaded machine must not make these calls miss their deadline
                    "pooltasks.redis.deadline", "2s",
                    "pooltasks.auth.tokens.ops.value", TOKEN,
                    "pooltasks.auth.tokens.ops.projects", "*",
                    "pooltasks.auth.tokens.ops.rate-limit-per-minute", "5");
        }
    }

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, URL);
    }

    @AfterAll
    static void deleteOurKeys() {
        try {
            List<String> keys = new ArrayList<>();
            String cursor = "0";
            do {
                Response page = send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(PREFIX + ":*"));
                cursor = page.get(0).toString();
                page.get(1).forEach(key -> keys.add(key.toString()));
            } while (!cursor.equals("0"));
            for (String key : keys) {
                send(Request.cmd(Command.UNLINK).arg(key));
            }
        } finally {
            redis.close();
            vertx.close();
        }
    }

    @Test
    void aCallersBudgetIsTheOneRedisHolds() {
        call(); // the sandbox is generated in the background: the first call may wait for it
        send(Request.cmd(Command.UNLINK).arg(BUCKET)); // full, whatever other tests took
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            call().then().statusCode(200);
        }
        String retryAfter = call().then().statusCode(429).extract().header("Retry-After");
        // 5 a minute: the next token 12 s after the first was taken, less what the refill gave back meanwhile.
        long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;
        assertThat(Integer.parseInt(retryAfter)).isBetween((int) Math.max(1, 12 - elapsedSeconds), 12);
        assertThat(send(Request.cmd(Command.PTTL).arg(BUCKET)).toLong()).isPositive();

        send(Request.cmd(Command.UNLINK).arg(BUCKET));
        call().then().statusCode(200);
    }

    @Test
    void readinessSaysTheStateIsSharedAndStaysUp() {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Management.given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'redis' }.data.'replicas seen'") == null
                || Management.given().get("/q/health/ready").then().extract()
                .<Integer>path("checks.find { it.name == 'redis' }.data.'replicas seen'") < 1) {
            assertThat(System.nanoTime()).as("the first heartbeat").isLessThan(giveUpAt);
            Thread.onSpinWait();
        }
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.mode", equalTo("shared"))
                .body("checks.find { it.name == 'redis' }.data.circuit", equalTo("CLOSED"));
    }

    @Test
    void callsToRedisAndItsStateAreMetrics() {
        call();
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("pooltasks_redis_calls_seconds_count{operation=\"budget_take\",outcome=\"success\"}")
                .contains("pooltasks_redis_fallback_active 0.0")
                .contains("pooltasks_redis_circuit_state 0.0")
                .contains("pooltasks_redis_replicas ");
    }

    private static io.restassured.response.Response call() {
        return given().header("X-Auth-Token", TOKEN).pathParam("project_id", TaskApi.PROJECT)
                .queryParam("limit", 1).when().get(TaskApi.PATH);
    }

    private static Response send(Request request) {
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
