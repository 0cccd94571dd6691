package dev.pooltasks.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class JvmMetricsTest {
    /** One of the JVM meters and one of the system meters, bound by the first and the last binders of the two. */
    private static final String HEAP_USED = "jvm.memory.used";
    private static final String UPTIME = "process.uptime";

    @Test
    void theMetersAreBoundOnceTheFirstRequestIsAnsweredAndNotBefore() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        JvmMetrics metrics = started(registry, Duration.ofMinutes(10));

        Thread.sleep(300);
        assertThat(registry.find(HEAP_USED).meters()).isEmpty();

        metrics.requestAnswered();
        assertThat(awaitMeter(registry)).isTrue();
        metrics.close(new ShutdownEvent());
    }

    @Test
    void withoutAnyRequestTheyAreBoundAtTheLatestAfterTheGivenTime() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        JvmMetrics metrics = started(registry, Duration.ofMillis(100));

        assertThat(awaitMeter(registry)).isTrue();
        metrics.close(new ShutdownEvent());
    }

    @Test
    void anInstanceStoppedBeforeTheBindingBindsNothing() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        JvmMetrics metrics = started(registry, Duration.ofMillis(200));
        metrics.close(new ShutdownEvent());

        Thread.sleep(600);
        assertThat(registry.getMeters()).isEmpty();
    }

    /** A JvmMetrics as the application's start leaves it: waiting to bind to {@code registry}. */
    private static JvmMetrics started(MeterRegistry registry, Duration atTheLatest) {
        JvmMetrics metrics = new JvmMetrics(atTheLatest);
        metrics.bind(new StartupEvent(), registry);
        return metrics;
    }

    private static boolean awaitMeter(MeterRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!bound(registry) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return bound(registry);
    }

    private static boolean bound(MeterRegistry registry) {
        return !registry.find(HEAP_USED).meters().isEmpty() && !registry.find(UPTIME).meters().isEmpty();
    }
}
