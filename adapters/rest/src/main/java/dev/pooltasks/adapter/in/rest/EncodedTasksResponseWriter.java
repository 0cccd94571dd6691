package dev.pooltasks.adapter.in.rest;

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

/** Writes an {@link EncodedTasksResponse}'s bytes as the answer body, on the event loop, without copying them. */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class EncodedTasksResponseWriter implements ServerMessageBodyWriter<EncodedTasksResponse> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
                               MediaType mediaType) {
        return EncodedTasksResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(EncodedTasksResponse answer, Type genericType, ServerRequestContext context) {
        context.serverResponse().end(answer.body());
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return EncodedTasksResponse.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(EncodedTasksResponse answer, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream out)
            throws java.io.IOException {
        out.write(answer.body());
    }
}
