package dev.pooltasks.adapter.out.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * What the sandbox generates. The same settings always give the same tasks.
 *
 * @param projectId the one project the sandbox serves
 * @param seed      seeds every random choice
 * @param taskCount how many tasks to generate
 * @param now       tasks start within the 30 days before this instant; those still running at it are RUNNING or INIT
 */
public record SandboxSettings(String projectId, long seed, int taskCount, Instant now) {
    public static final String DEFAULT_PROJECT_ID = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_TASK_COUNT = 3000;
    public static final int MAX_TASK_COUNT = 2_000_000;

    public SandboxSettings {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(now, "now");
        if (taskCount < 0 || taskCount > MAX_TASK_COUNT) {
            throw new IllegalArgumentException("taskCount must be between 0 and " + MAX_TASK_COUNT);
        }
    }
}
