package dev.pooltasks.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Instant;
import java.util.Optional;

/** Everything under {@code pooltasks.*}. Each key can also be set as an environment variable (POOLTASKS_...). */
@ConfigMapping(prefix = "pooltasks")
public interface PooltasksConfig {

    Sandbox sandbox();

    /** The embedded upstream that serves when no upstream is configured. */
    interface Sandbox {
        /** The one project id the sandbox serves. */
        @WithDefault("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5")
        String projectId();

        /** Seeds the generated data: the same seed, size and clock give the same tasks. */
        @WithDefault("42")
        long seed();

        /** Number of tasks to generate (up to 2,000,000). */
        @WithDefault("3000")
        int tasks();

        /**
         * The instant the data is generated relative to (tasks start within the 30 days before it). Defaults to the
         * start of the current hour, so that instances started within the same hour serve identical data.
         */
        Optional<Instant> now();
    }
}
