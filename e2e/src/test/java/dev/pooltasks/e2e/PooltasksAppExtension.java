package dev.pooltasks.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Starts the runnable jar once per test run and hands it to tests.
 *
 * <p>The instance lives in the root context's store, so it is shared by every test class of the run and closed (the
 * process stopped) by JUnit when the run ends, because {@link RunningPooltasks} is {@link AutoCloseable}. When a test
 * fails after the process has died, the failure says so and carries the process output.
 */
public final class PooltasksAppExtension implements BeforeAllCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PooltasksAppExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        app(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RunningPooltasks.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return app(extensionContext);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw explained(context, throwable);
    }

    private static Throwable explained(ExtensionContext context, Throwable throwable) {
        RunningPooltasks app = context.getRoot().getStore(NAMESPACE).get(RunningPooltasks.class, RunningPooltasks.class);
        if (app == null || app.isAlive()) {
            return throwable;
        }
        return new IllegalStateException("The pooltasks process is no longer running (" + app.exitDescription()
                + "), so this failure is probably not the test's own.\n" + app.output(), throwable);
    }

    private static RunningPooltasks app(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(RunningPooltasks.class, type -> RunningPooltasks.start(), RunningPooltasks.class);
    }
}
