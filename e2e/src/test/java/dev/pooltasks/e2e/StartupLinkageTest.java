package dev.pooltasks.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the JVM links on the way to the first answer, as the JDK's own trace of call-site linking shows it. A record's
 * generated equals, hashCode or toString is linked through java.lang.runtime.ObjectMethods on its first call, which
 * costs milliseconds of method-handle spinning each in a cold JVM (README, Performance: startup). Our records on that
 * path write theirs out; this keeps it so.
 */
class StartupLinkageTest {

    @Test
    void noRecordOfOursLinksAGeneratedEqualsOrHashCodeBeforeTheFirstAnswer() throws Exception {
        try (RunningPooltasks app = RunningPooltasks.builder("startup-linkage")
                .property("java.lang.invoke.MethodHandle.TRACE_METHOD_LINKAGE", "true").start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/"
                    + RunningPooltasks.PROJECT_ID + "/desktop-pools/script-execution-tasks/detail?limit=2")).build();
            HttpResponse<String> first = JdkHttp.client().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);

            List<String> links = app.logText().lines().filter(line -> line.startsWith("linkCallSite ")).toList();
            assertThat(links).as("the trace is on: the start links lambdas and string concatenations")
                    .anyMatch(line -> line.startsWith("linkCallSite dev.pooltasks."));
            assertThat(links).filteredOn(line -> line.startsWith("linkCallSite dev.pooltasks."))
                    .filteredOn(line -> line.contains("java.lang.runtime.ObjectMethods"))
                    .isEmpty();
        }
    }
}
