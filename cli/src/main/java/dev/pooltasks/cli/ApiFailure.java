package dev.pooltasks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.client.ApiException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;

/**
 * A failed call as the user sees it: one line for standard error and the exit code.
 *
 * @param exitCode one of {@link ExitCodes}
 * @param message  e.g. {@code HTTP 401 APIG.0301: Incorrect IAM authentication information (request id 3f…)}
 */
record ApiFailure(int exitCode, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_SHOWN = 200;

    /**
     * The failure an {@link ApiException} of the generated client stands for: an HTTP answer (status, the API's
     * error_code, error_msg and error_detail, the X-Request-Id) or no answer at all (code 0: connection, timeout,
     * unreadable body).
     *
     * @param endpoint named in connection failures
     * @param expected what the answer should have been, named when it is unreadable ("a page of tasks")
     */
    static ApiFailure of(ApiException e, String endpoint, String expected) {
        if (e.getCode() == 0) {
            return unreachable(e, endpoint, expected);
        }
        int status = e.getCode();
        String requestId = e.getResponseHeaders() == null ? null
                : e.getResponseHeaders().firstValue("X-Request-Id").filter(id -> !id.isBlank()).orElse(null);
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        JsonNode body = parse(e.getResponseBody());
        if (body != null && body.hasNonNull("error_code") && body.hasNonNull("error_msg")) {
            message.append(' ').append(TextCells.printable(body.get("error_code").asText())).append(": ")
                    .append(TextCells.printable(body.get("error_msg").asText()));
            if (body.hasNonNull("error_detail")) {
                message.append(" [").append(TextCells.printable(body.get("error_detail").asText())).append(']');
            }
            if (requestId == null && body.hasNonNull("request_id") && !body.get("request_id").asText().isBlank()) {
                requestId = body.get("request_id").asText();
            }
        } else if (e.getResponseBody() != null && !e.getResponseBody().isBlank()) {
            message.append(": ").append(TextCells.truncate(TextCells.printable(e.getResponseBody().strip()),
                    MAX_BODY_SHOWN));
        }
        message.append(" (request id ").append(requestId == null ? "-" : TextCells.printable(requestId)).append(')');
        if (status == 429) {
            message.append("; still rate limited after ").append(TaskSource.MAX_RETRIES).append(" retries");
        }
        return new ApiFailure(exitCode(status), message.toString());
    }

    /** The API's error_code in a failed call's answer, or null when the answer has none. */
    static String errorCode(ApiException e) {
        JsonNode body = parse(e.getResponseBody());
        return body != null && body.hasNonNull("error_code") ? body.get("error_code").asText() : null;
    }

    static int exitCode(int status) {
        if (status == 401 || status == 403) {
            return ExitCodes.AUTH;
        }
        if (status == 404) {
            return ExitCodes.NOT_FOUND;
        }
        if (status >= 400 && status < 500 && status != 429) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.UNAVAILABLE;
    }

    private static ApiFailure unreachable(ApiException e, String endpoint, String expected) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof JsonProcessingException json) {
            return unreadable(endpoint, expected, json.getOriginalMessage());
        }
        if (cause instanceof TaskSource.MalformedAnswerException malformed) {
            return unreadable(endpoint, expected, malformed.getMessage());
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return new ApiFailure(ExitCodes.UNAVAILABLE, "no answer from " + endpoint + " in time");
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return new ApiFailure(ExitCodes.UNAVAILABLE, "cannot connect to " + endpoint + ": unknown host");
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return new ApiFailure(ExitCodes.UNAVAILABLE, "cannot connect to " + endpoint + ": its certificate "
                        + "is not trusted (" + TextCells.printable(t.getMessage()) + "); a private CA's, or a "
                        + "self-signed one, can be trusted with --ca-cert FILE");
            }
        }
        String reason = cause.getMessage() == null ? "" : ": " + TextCells.printable(cause.getMessage());
        if (cause instanceof ConnectException) {
            return new ApiFailure(ExitCodes.UNAVAILABLE, "cannot connect to " + endpoint + reason);
        }
        return new ApiFailure(ExitCodes.UNAVAILABLE, "cannot reach " + endpoint
                + (reason.isEmpty() ? ": " + cause.getClass().getSimpleName() : reason));
    }

    private static ApiFailure unreadable(String endpoint, String expected, String reason) {
        return new ApiFailure(ExitCodes.UNAVAILABLE, "the answer from " + endpoint + " is not " + expected + ": "
                + TextCells.truncate(TextCells.printable(reason), MAX_BODY_SHOWN));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
