package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.UpstreamCallListener;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.service.CachingTaskSource;
import dev.pooltasks.domain.service.ListScriptExecutionTasksService;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The composition root: builds the framework-free domain service and wires it to its task sources. */
public class Composition {

    @Produces
    @Singleton
    TaskSources taskSources(PooltasksConfig config, Clock clock) {
        return TaskSources.fromConfig(config, clock.instant(), UpstreamCallListener.NONE,
                CachingTaskSource.CacheListener.NONE);
    }

    @Produces
    @Singleton
    ListScriptExecutionTasksUseCase listTasks(TaskSources sources) {
        return new ListScriptExecutionTasksService(sources.byProject());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
