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
        JvmMetrics metrics = new JvmMetrics(Duration.ofMinutes(10));
        metrics.bind(new StartupEvent(), registry);

        Thread.sleep(300);
        assertThat(registry.find(HEAP_USED).meters()).isEmpty();

        metrics.requestAnswered();
        assertThat(awaitMeter(registry)).isTrue();
        metrics.close(new ShutdownEvent());
    }

    @Test
    void withoutAnyRequestTheyAreBoundAtTheLatestAfterTheGivenTime() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        JvmMetrics metrics = new JvmMetrics(Duration.ofMillis(100));
        metrics.bind(new StartupEvent(), registry);

        assertThat(awaitMeter(registry)).isTrue();
        metrics.close(new ShutdownEvent());
    }

    @Test
    void anInstanceStoppedBeforeTheBindingBindsNothing() throws InterruptedException {
        MeterRegistry registry = new SimpleMeterRegistry();
        JvmMetrics metrics = new JvmMetrics(Duration.ofMillis(200));
        metrics.bind(new StartupEvent(), registry);
        metrics.close(new ShutdownEvent());

        Thread.sleep(600);
        assertThat(registry.getMeters()).isEmpty();
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
