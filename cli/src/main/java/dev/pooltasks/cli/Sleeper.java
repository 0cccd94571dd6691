package dev.pooltasks.cli;

import java.time.Duration;

/** Waits, e.g. for a 429's Retry-After; tests pass one that records the wait instead of sleeping. */
@FunctionalInterface
interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
