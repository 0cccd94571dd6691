package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;

import java.io.IOException;

/**
 * Reads an upstream's 2xx answer body into a page: Jackson (the application's ObjectMapper) binds it to the contract's
 * DTOs, {@link UpstreamTaskMapper} checks and maps them. Anything unreadable is a
 * {@link MalformedUpstreamAnswerException}: not JSON, not one JSON object (trailing content included), missing
 * fields, unreadable times.
 */
final class AnswerParser {
    private final ObjectReader reader;
    private final UpstreamTaskMapper mapper;

    AnswerParser(ObjectMapper json, UpstreamTaskMapper mapper) {
        this.reader = json.readerFor(ShowDesktopPoolsScriptExecTasksResponse.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mapper = mapper;
    }

    UpstreamPage parse(byte[] body) {
        try {
            ShowDesktopPoolsScriptExecTasksResponse response = reader.readValue(body);
            return new UpstreamPage(mapper.toPage(response), body);
        } catch (MalformedUpstreamAnswerException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Bytes that do not bind, or values the domain rejects: the answer's fault either way.
            throw new MalformedUpstreamAnswerException("unreadable answer: " + e.getClass().getSimpleName());
        }
    }
}
