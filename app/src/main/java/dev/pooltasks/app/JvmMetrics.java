package dev.pooltasks.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quarkus.micrometer.runtime.binder.JVMInfoBinder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM and system meters of Micrometer that Quarkus's extension binds when {@code quarkus.micrometer.binder.jvm}
 * and {@code .system} are on (the same binders, so the same names), bound here on a thread of their own once the
 * first API request has been answered, or {@link #AT_THE_LATEST} after the start if none comes. Bound by the
 * extension, their management-bean lookups held up every start by about 0.1 s before the first request could be
 * answered ({@code quarkus.debug.print-startup-times}: the registry's set-up 91–136 ms with them, 16–18 ms without);
 * bound on another thread at the start, they still took about 0.1 s of CPU (some 230 classes loaded) from the first
 * answer on a two-core machine. A scrape before then lacks these series; the next one has them.
 */
@Singleton
class JvmMetrics {
    private static final Logger LOG = Logger.getLogger(JvmMetrics.class);

    private static final Duration AT_THE_LATEST = Duration.ofSeconds(2);

    private final Duration atTheLatest;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();   // guarded by itself
    private boolean stopped;                                          // guarded by toClose

    JvmMetrics() {
        this(AT_THE_LATEST);
    }

    JvmMetrics(Duration atTheLatest) {
        this.atTheLatest = atTheLatest;
    }

    void bind(@Observes StartupEvent event, MeterRegistry registry) {
        Thread binding = new Thread(() -> {
            try {
                firstAnswer.await(atTheLatest.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            bindAll(registry);
        }, "pooltasks-jvm-metrics");
        binding.setDaemon(true);
        binding.start();
    }

    /** Heard with every answered API request: the first lets the binding begin. */
    void requestAnswered() {
        firstAnswer.countDown();   // once at zero, a volatile read
    }

    private void bindAll(MeterRegistry registry) {
        List<MeterBinder> binders = List.of(new ClassLoaderMetrics(), new JvmHeapPressureMetrics(),
                new JvmMemoryMetrics(), new JvmThreadMetrics(), new JVMInfoBinder(), new JvmGcMetrics(),
                new UptimeMetrics(), new ProcessorMetrics(), new FileDescriptorMetrics());
        for (MeterBinder binder : binders) {
            synchronized (toClose) {
                if (stopped) {
                    return;
                }
                try {
                    binder.bindTo(registry);
                } catch (RuntimeException e) {
                    LOG.warnf("JVM metrics of %s not available: %s", binder.getClass().getSimpleName(), e.toString());
                }
                if (binder instanceof AutoCloseable closeable) {
                    toClose.add(closeable);   // the GC and heap-pressure binders listen to the JVM until closed
                }
            }
        }
    }

    void close(@Observes ShutdownEvent event) {
        synchronized (toClose) {
            stopped = true;
            for (AutoCloseable closeable : toClose) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debugf("closing %s: %s", closeable.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}
