package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.AccessDeniedException;
import dev.pooltasks.domain.query.InvalidParameterException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.QueryParameters;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Maps every exception that can leave a resource to the API's error shape ({@link ErrorResponses}); no stack trace
 * ever reaches a caller.
 */
public final class ErrorMappers {
    private ErrorMappers() {
    }

    @Provider
    public static final class InvalidParameter implements ExceptionMapper<InvalidParameterException> {
        @Override
        public Response toResponse(InvalidParameterException e) {
            return ErrorResponses.of(ApiError.INVALID_PARAMETER, e.getMessage(), e.parameter());
        }
    }

    /** Says what to do: narrow the filters or mirror the project. */
    @Provider
    public static final class TooManyTasksToCount implements ExceptionMapper<TooManyTasksToCountException> {
        @Override
        public Response toResponse(TooManyTasksToCountException e) {
            return ErrorResponses.of(ApiError.TOO_MANY_TASKS_TO_COUNT, e.getMessage(), null);
        }
    }

    @Provider
    public static final class ProjectNotFound implements ExceptionMapper<ProjectNotFoundException> {
        @Override
        public Response toResponse(ProjectNotFoundException e) {
            return ErrorResponses.of(ApiError.PROJECT_NOT_FOUND, null, QueryParameters.PROJECT_ID);
        }
    }

    /** Says nothing about whether the project exists. */
    @Provider
    public static final class AccessDenied implements ExceptionMapper<AccessDeniedException> {
        @Override
        public Response toResponse(AccessDeniedException e) {
            return ErrorResponses.of(ApiError.ACCESS_DENIED, null, null);
        }
    }

    @Provider
    public static final class SourceUnavailable implements ExceptionMapper<TaskSourceUnavailableException> {
        @Override
        public Response toResponse(TaskSourceUnavailableException e) {
            return ErrorResponses.of(ApiError.UPSTREAM_UNAVAILABLE, e.getMessage(), String.join(",", e.sources()));
        }
    }

    /** An upstream's own 4xx, passed on unchanged: status, body and Retry-After. */
    @Provider
    public static final class SourceRejected implements ExceptionMapper<TaskSourceRejectedException> {
        @Override
        public Response toResponse(TaskSourceRejectedException e) {
            Response.ResponseBuilder response = Response.status(e.httpStatus())
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
            if (e.retryAfterSeconds() > 0) {
                response.header(ErrorResponses.RETRY_AFTER, e.retryAfterSeconds());
            }
            return response.build();
        }
    }

    @Provider
    public static final class SourceThrottled implements ExceptionMapper<TaskSourceThrottledException> {
        @Override
        public Response toResponse(TaskSourceThrottledException e) {
            return ErrorResponses.of(ApiError.UPSTREAM_RATE_LIMITED, e.getMessage(), e.source(), e.retryAfterSeconds());
        }
    }

    /** Errors raised by the JAX-RS layer itself: no such path, wrong method, unacceptable media type. */
    @Provider
    public static final class Framework implements ExceptionMapper<WebApplicationException> {
        private static final List<String> INTEGER_PARAMETERS = List.of(QueryParameters.OFFSET, QueryParameters.LIMIT);
        private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9]+");

        @Context
        UriInfo uriInfo;

        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status == 404 && e.getCause() != null) {
                // JAX-RS answers a query parameter it cannot convert with a 404 that wraps the conversion error.
                Response invalidInteger = invalidIntegerParameter();
                if (invalidInteger != null) {
                    return invalidInteger;
                }
            }
            return ApiError.forStatus(status) == ApiError.INTERNAL ? Unexpected.internalError(e)
                    : ErrorResponses.forStatus(status);
        }

        private Response invalidIntegerParameter() {
            MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
            for (String parameter : INTEGER_PARAMETERS) {
                String value = query.getFirst(parameter);
                if (value != null && !value.isEmpty() && !isInt32(value)) {
                    // A whole number too large for an int is in the wrong range, not of the wrong kind.
                    int max = parameter.equals(QueryParameters.LIMIT) ? TaskQuery.MAX_LIMIT : Integer.MAX_VALUE;
                    String must = WHOLE_NUMBER.matcher(value).matches() ? "between 0 and " + max : "an integer";
                    return ErrorResponses.of(ApiError.INVALID_PARAMETER, parameter + " must be " + must, parameter);
                }
            }
            return null;
        }

        private static boolean isInt32(String value) {
            try {
                Integer.parseInt(value);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    @Provider
    public static final class Unexpected implements ExceptionMapper<Throwable> {
        private static final Logger LOG = Logger.getLogger(Unexpected.class);

        @Override
        public Response toResponse(Throwable e) {
            return internalError(e);
        }

        static Response internalError(Throwable e) {
            LOG.error("unexpected error while answering a request", e);
            return ErrorResponses.of(ApiError.INTERNAL, null, null);
        }
    }
}
