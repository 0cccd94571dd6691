package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ErrorResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds every error answer in the API's shape: non-null {@code error_code} and {@code error_msg}. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response of(ApiError error, String message, String detail) {
        return of(error.httpStatus(), error.code(), message, detail);
    }

    /**
     * Ends a response outside JAX-RS (router handlers) with the error shape. {@code message} must be a constant text:
     * it is written into the JSON as is.
     */
    public static void write(HttpServerResponse response, int httpStatus, ApiError error, String message) {
        response.setStatusCode(httpStatus)
                .putHeader("Content-Type", MediaType.APPLICATION_JSON)
                .end("{\"error_code\":\"" + error.code() + "\",\"error_msg\":\"" + message + "\"}");
    }

    public static Response of(int httpStatus, String code, String message, String detail) {
        ErrorResponse body = new ErrorResponse(code, message == null ? "" : message);
        body.setErrorDetail(detail);
        return Response.status(httpStatus).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
