package dev.pooltasks.adapter.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.pooltasks.api.server.model.ErrorResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one writer of the API's error shape: the contract's {@link ErrorResponse} written by Jackson, with non-null
 * {@code error_code} and {@code error_msg} and {@code error_detail} only where there is one. Every error answer of
 * ours goes through it: JAX-RS exception mappers and the authentication filter get a {@link Response}, router
 * handlers (below JAX-RS) end the Vert.x response with the same bytes.
 */
public final class ErrorResponses {
    public static final String RETRY_AFTER = "Retry-After";

    private static final ObjectWriter JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(ErrorResponse.class);

    private ErrorResponses() {
    }

    /** {@code error} with its own status; {@code message} null for the table's, {@code detail} null for none. */
    public static Response of(ApiError error, String message, String detail) {
        return of(error.httpStatus(), error, message, detail);
    }

    /** As {@link #of(ApiError, String, String)}, telling the caller when to retry ({@code Retry-After}). */
    public static Response of(ApiError error, String message, String detail, long retryAfterSeconds) {
        return Response.fromResponse(of(error, message, detail)).header(RETRY_AFTER, retryAfterSeconds).build();
    }

    /** The answer to a bare HTTP status raised by the framework ({@link ApiError#forStatus}). */
    public static Response forStatus(int httpStatus) {
        ApiError error = ApiError.forStatus(httpStatus);
        return of(ApiError.answerStatus(httpStatus), error, null, null);
    }

    /**
     * Ends a response outside JAX-RS (router handlers) with {@code error} and its own status; {@code detail}, the
     * parameter at fault as the domain's refusals name it, may be null.
     */
    public static void write(HttpServerResponse response, ApiError error, String message, String detail) {
        write(response, error.httpStatus(), error, message, detail);
    }

    /** Ends a response outside JAX-RS with the answer to a bare HTTP status ({@link ApiError#forStatus}). */
    public static void writeForStatus(HttpServerResponse response, int httpStatus) {
        write(response, ApiError.answerStatus(httpStatus), ApiError.forStatus(httpStatus), null, null);
    }

    /** The body: {@code message} null for the table's, {@code detail} null for none. */
    public static byte[] json(ApiError error, String message, String detail) {
        ErrorResponse body = new ErrorResponse(error.code(), message == null ? error.message() : message);
        body.setErrorDetail(detail);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // Three strings cannot fail to serialise; if they did, say nothing of what they held.
            throw new IllegalStateException("cannot write the error shape");
        }
    }

    private static Response of(int httpStatus, ApiError error, String message, String detail) {
        return Response.status(httpStatus).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(error, message, detail)).build();
    }

    private static void write(HttpServerResponse response, int httpStatus, ApiError error, String message,
                              String detail) {
        response.setStatusCode(httpStatus)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .end(Buffer.buffer(json(error, message, detail)));
    }
}
