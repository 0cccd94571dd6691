package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.V2Api;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.TaskPage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EncodedTasksResponseWriterTest {

    /**
     * RESTEasy Reactive resolves an operation's writer at build time only when no writer is registered under a subtype
     * of the operation's declared answer type (otherwise it looks writers up again for every answer).
     */
    @Test
    void isRegisteredUnderTheListOperationsDeclaredAnswerType() {
        Type written = Arrays.stream(EncodedTasksResponseWriter.class.getGenericInterfaces())
                .map(ParameterizedType.class::cast)
                .findFirst().orElseThrow().getActualTypeArguments()[0];
        Method list = Arrays.stream(V2Api.class.getMethods())
                .filter(m -> m.getName().equals("showDesktopPoolsScriptExecTasks"))
                .findFirst().orElseThrow();
        Type declared = ((ParameterizedType) list.getGenericReturnType()).getActualTypeArguments()[0];

        assertThat(written).isEqualTo(declared).isEqualTo(ShowDesktopPoolsScriptExecTasksResponse.class);
    }

    @Test
    void writesOnlyEncodedAnswersAndLeavesOtherInstancesToTheNextWriter() {
        EncodedTasksResponseWriter writer = new EncodedTasksResponseWriter();

        assertThat(writer.isWriteable(EncodedTasksResponse.class, null, (Annotation[]) null,
                MediaType.APPLICATION_JSON_TYPE)).isTrue();
        assertThat(writer.isWriteable(ShowDesktopPoolsScriptExecTasksResponse.class, null,
                (Annotation[]) null, MediaType.APPLICATION_JSON_TYPE)).isFalse();
    }

    @Test
    void writesTheEncodedBytesAsTheyAreWithThePagesSourceHeaders() throws Exception {
        byte[] body = "{\"total_count\":0,\"script_execution_tasks\":[]}".getBytes(StandardCharsets.UTF_8);
        TaskPage page = new TaskPage(0, List.of(), Set.of("west", "east"), Set.of("south"), Duration.ofSeconds(7));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();

        new EncodedTasksResponseWriter().writeTo(new EncodedTasksResponse(body, page), EncodedTasksResponse.class,
                null, null, MediaType.APPLICATION_JSON_TYPE, headers, out);

        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(headers.getFirst(ScriptExecutionTasksResource.MISSING_UPSTREAMS)).isEqualTo("east,west");
        assertThat(headers.getFirst(ScriptExecutionTasksResource.STALE_UPSTREAMS)).isEqualTo("south");
        assertThat(headers.getFirst(ScriptExecutionTasksResource.MIRROR_AGE)).isEqualTo("7");
    }

    @Test
    void aPageFromItsSourcesAsTheyAreCarriesNoSourceHeaders() throws Exception {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();

        new EncodedTasksResponseWriter().writeTo(new EncodedTasksResponse(new byte[] {'{', '}'},
                new TaskPage(0, List.of())), EncodedTasksResponse.class, null, null,
                MediaType.APPLICATION_JSON_TYPE, headers, new ByteArrayOutputStream());

        assertThat(headers).isEmpty();
    }
}
