package dev.pooltasks.app;

import dev.pooltasks.adapter.out.sandbox.SandboxSettings;
import dev.pooltasks.adapter.out.sandbox.SandboxTaskStore;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.service.ListScriptExecutionTasksService;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The composition root: builds the framework-free domain service and wires it to its task source. */
public class Composition {

    @Produces
    @Singleton
    SandboxTaskStore sandbox(PooltasksConfig config, Clock clock) {
        PooltasksConfig.Sandbox sandbox = config.sandbox();
        Instant now = sandbox.now().orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.HOURS));
        return SandboxTaskStore.generate(new SandboxSettings(sandbox.projectId(), sandbox.seed(), sandbox.tasks(), now));
    }

    @Produces
    @Singleton
    ListScriptExecutionTasksUseCase listTasks(SandboxTaskStore sandbox) {
        LoadScriptExecutionTasksPort source = sandbox;
        return new ListScriptExecutionTasksService(source);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
