package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes an {@link EncodedTasksResponse}'s bytes as the answer body, on the event loop, without copying them.
 *
 * <p>Registered under the list operation's declared answer type, not the subclass it writes: RESTEasy Reactive picks
 * an operation's writers once, at build time, only when no writer is registered under a subtype of that type; a
 * writer for the subtype made it look the writer up again for every answer (a fifth of an answer's allocations).
 * Any other instance of the declared type goes on to the next writer, Jackson's.
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
        context.serverResponse().end(((EncodedTasksResponse) answer).body());
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return EncodedTasksResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(ShowDesktopPoolsScriptExecTasksResponse answer, Class<?> type, Type genericType,
                        Annotation[] annotations, MediaType mediaType, MultivaluedMap<String, Object> httpHeaders,
                        OutputStream out) throws java.io.IOException {
        out.write(((EncodedTasksResponse) answer).body());
    }
}
