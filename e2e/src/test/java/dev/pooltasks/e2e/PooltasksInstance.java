package dev.pooltasks.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * An additional, differently configured instance owned by one test class: started before its {@code @BeforeAll}
 * methods, stopped after its {@code @AfterAll} methods. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PooltasksInstance AUTH = new PooltasksInstance(RunningPooltasks.builder("auth").token(...));
 * }</pre>
 *
 * <p>When a test fails after the process has died, the failure says so and carries the process output.
 */
public final class PooltasksInstance implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    private final RunningPooltasks.Builder builder;
    private volatile RunningPooltasks app;

    public PooltasksInstance(RunningPooltasks.Builder builder) {
        this.builder = builder;
    }

    /** The running instance; only between the class's before-all and after-all phases. */
    public RunningPooltasks app() {
        RunningPooltasks running = app;
        if (running == null) {
            throw new IllegalStateException("the instance is not running (register this extension as a static field)");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        app = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RunningPooltasks running = app;
        app = null;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(throwable);
    }

    private Throwable explained(Throwable throwable) {
        RunningPooltasks running = app;
        if (running == null || running.isAlive()) {
            return throwable;
        }
        return new IllegalStateException("The pooltasks process is no longer running (" + running.exitDescription()
                + "), so this failure is probably not the test's own.\n" + running.output(), throwable);
    }
}
