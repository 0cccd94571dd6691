package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes an {@link EncodedTasksResponse}'s bytes as the answer body, on the event loop, without copying them, with the
 * headers describing the page's sources.
 *
 * <p>Registered for the list operation's declared answer type, not for the subclass it writes: RESTEasy Reactive then
 * picks this writer when the application is built, instead of looking one up on every request (a writer registered for
 * a subtype of a method's answer type makes the choice depend on each answer's class, which cost about 3 % of S1's
 * CPU). Any other instance of the type is left to the next writer (Jackson), as before.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class EncodedTasksResponseWriter implements ServerMessageBodyWriter<ShowDesktopPoolsScriptExecTasksResponse> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
                               MediaType mediaType) {
        return EncodedTasksResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(ShowDesktopPoolsScriptExecTasksResponse answer, Type genericType,
                              ServerRequestContext context) {
        EncodedTasksResponse encoded = (EncodedTasksResponse) answer;
        ServerHttpResponse response = context.serverResponse();
        setIfPresent(response, ScriptExecutionTasksResource.MISSING_UPSTREAMS, encoded.missingUpstreams());
        setIfPresent(response, ScriptExecutionTasksResource.STALE_UPSTREAMS, encoded.staleUpstreams());
        setIfPresent(response, ScriptExecutionTasksResource.MIRROR_AGE, encoded.mirrorAge());
        response.end(encoded.body());
    }

    private static void setIfPresent(ServerHttpResponse response, String header, String value) {
        if (value != null) {
            response.setResponseHeader(header, value);
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return EncodedTasksResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(ShowDesktopPoolsScriptExecTasksResponse answer, Class<?> type, Type genericType,
                        Annotation[] annotations, MediaType mediaType, MultivaluedMap<String, Object> httpHeaders,
                        OutputStream out) throws java.io.IOException {
        EncodedTasksResponse encoded = (EncodedTasksResponse) answer;
        putIfPresent(httpHeaders, ScriptExecutionTasksResource.MISSING_UPSTREAMS, encoded.missingUpstreams());
        putIfPresent(httpHeaders, ScriptExecutionTasksResource.STALE_UPSTREAMS, encoded.staleUpstreams());
        putIfPresent(httpHeaders, ScriptExecutionTasksResource.MIRROR_AGE, encoded.mirrorAge());
        out.write(encoded.body());
    }

    private static void putIfPresent(MultivaluedMap<String, Object> headers, String header, String value) {
        if (value != null) {
            headers.putSingle(header, value);
        }
    }
}
