package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.aggregation.ExecutionTally;
import dev.pooltasks.domain.aggregation.RecordState;
import dev.pooltasks.domain.aggregation.TaskOutcome;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates script and command runs across the desktops of the catalogue's pools, one execution record per desktop
 * and script, and keeps only what the API reports: each task's outcome is the domain's aggregation of its records.
 * Task {@code i} depends only on the seed and {@code i}, so sandboxes of different sizes share their first tasks.
 */
final class SandboxGenerator {
    static final int DAYS = 30;
    private static final double SCRIPT_TASK_SHARE = 0.7;
    private static final double GRAY_ROLLOUT_SHARE = 0.35;
    private static final double BAD_RUN_SHARE = 0.08;
    private static final double UNAVAILABLE_DESKTOP_RATE = 0.02;
    private static final double TIMEOUT_SHARE_OF_FAILURES = 0.2;
    private static final int MAX_DURATION_SECONDS = 45 * 60;

    private final long seed;
    private final TaskIds ids;
    private final SandboxCatalogue catalogue;
    private final int[] windowsScripts;
    private final int[] linuxScripts;

    SandboxGenerator(long seed, SandboxCatalogue catalogue) {
        this.seed = seed;
        this.ids = new TaskIds(seed);
        this.catalogue = catalogue;
        this.windowsScripts = scriptsFor(catalogue, true);
        this.linuxScripts = scriptsFor(catalogue, false);
    }

    /** The task generated {@code i}-th: it started within {@link #DAYS} days before {@code nowSecond}. */
    ScriptExecutionTask generate(int i, long nowSecond) {
        SplittableRandom random = new SplittableRandom(TaskIds.mix(seed * 0x100000001B3L + i));
        long start = nowSecond - random.nextLong(DAYS * 86_400L);
        int poolIndex = random.nextInt(catalogue.pools.size());
        SandboxCatalogue.Pool pool = catalogue.pools.get(poolIndex);

        int scriptCount = 0;
        Script[] scripts = new Script[0];
        SandboxCatalogue.Command command = null;
        if (random.nextDouble() < SCRIPT_TASK_SHARE) {
            int[] candidates = pool.windows() ? windowsScripts : linuxScripts;
            double r = random.nextDouble();
            int wanted = r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
            int[] chosen = new int[wanted];
            while (scriptCount < wanted) {
                int candidate = candidates[random.nextInt(candidates.length)];
                if (!contains(chosen, scriptCount, candidate)) {
                    chosen[scriptCount++] = candidate;
                }
            }
            scripts = new Script[scriptCount];
            for (int s = 0; s < scriptCount; s++) {
                scripts[s] = catalogue.scripts.get(chosen[s]).script();
            }
        } else {
            int commandIndex;
            do {
                commandIndex = random.nextInt(catalogue.commands.size());
            } while (catalogue.windowsCommand(commandIndex) != pool.windows());
            command = catalogue.commands.get(commandIndex);
        }

        int duration = 20 + random.nextInt(MAX_DURATION_SECONDS);
        double progress = (double) (nowSecond - start) / duration;
        TaskOutcome outcome = simulate(random, pool.desktopCount(), Math.max(1, scriptCount), progress);
        // A run can end before its planned duration (aborted by the failure threshold, or its last desktops already
        // done): it has ended by now at the latest. Only a run still RUNNING or INIT has no end_time.
        boolean finished = outcome.status().equals(TaskStatus.FINISH) || outcome.status().equals(TaskStatus.FAILED);
        int end = (int) Math.min(duration, nowSecond - start);

        return new ScriptExecutionTask(ids.id(i), pool.id(), pool.name(), List.of(scripts),
                command == null ? null : command.content(), command == null ? null : command.type(),
                Instant.ofEpochSecond(start), finished ? Instant.ofEpochSecond(start + end) : null, outcome.status(),
                outcome.successNum(), outcome.failedNum(), outcome.skipNum());
    }

    private TaskOutcome simulate(SplittableRandom random, int desktops, int recordsPerDesktop, double progress) {
        ExecutionTally tally = new ExecutionTally();
        if (progress < 0.05) {
            for (int record = 0; record < desktops * recordsPerDesktop; record++) {
                tally.add(RecordState.PENDING);
            }
            return tally.outcome();
        }
        double failureRate = random.nextDouble() < BAD_RUN_SHARE
                ? 0.3 + 0.7 * random.nextDouble()
                : 0.03 * random.nextDouble();
        boolean grayRollout = random.nextDouble() < GRAY_ROLLOUT_SHARE;
        int grayCount = grayRollout ? Math.min(desktops, 5 + random.nextInt(16)) : 0;
        int failThreshold = 1 + random.nextInt(5);
        int grayFailures = 0;
        boolean aborted = false;
        for (int desktop = 0; desktop < desktops; desktop++) {
            if (grayRollout && desktop == grayCount && grayFailures >= failThreshold) {
                aborted = true;
            }
            double position = (double) desktop / desktops;
            RecordState desktopState = random.nextDouble() < UNAVAILABLE_DESKTOP_RATE ? RecordState.SKIPPED_UNAVAILABLE
                    : aborted ? RecordState.SKIPPED_BY_THRESHOLD
                    : position >= progress + 0.05 ? RecordState.PENDING
                    : position >= progress ? RecordState.RUNNING
                    : null;
            boolean desktopFailed = false;
            for (int record = 0; record < recordsPerDesktop; record++) {
                RecordState state = desktopState != null ? desktopState : executed(random, failureRate);
                desktopFailed |= state == RecordState.FAILED || state == RecordState.TIMED_OUT;
                tally.add(state);
            }
            if (desktop < grayCount && desktopFailed) {
                grayFailures++;
            }
        }
        return tally.outcome();
    }

    private static RecordState executed(SplittableRandom random, double failureRate) {
        if (random.nextDouble() >= failureRate) {
            return RecordState.SUCCEEDED;
        }
        return random.nextDouble() < TIMEOUT_SHARE_OF_FAILURES ? RecordState.TIMED_OUT : RecordState.FAILED;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static int[] scriptsFor(SandboxCatalogue catalogue, boolean windows) {
        return java.util.stream.IntStream.range(0, catalogue.scripts.size())
                .filter(i -> catalogue.scripts.get(i).windows() == windows)
                .toArray();
    }
}
