package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.TaskPage;

import java.io.IOException;

/**
 * Reads an upstream's 2xx answer body into a page. A body written exactly as this service writes one is read by
 * {@link CanonicalAnswer} and the page carries it, to be forwarded as is. Any other is bound by Jackson (the
 * application's ObjectMapper) to the contract's DTOs, which {@link UpstreamTaskMapper} checks and maps; the page is
 * then written again when answered. Anything unreadable is a {@link MalformedUpstreamAnswerException}: not JSON, not
 * one JSON object (trailing content included), missing fields, unreadable times.
 */
public final class AnswerParser {
    private final ObjectReader reader;
    private final UpstreamTaskMapper mapper;

    /** @param json the application's ObjectMapper */
    public AnswerParser(ObjectMapper json) {
        this.reader = json.readerFor(ShowDesktopPoolsScriptExecTasksResponse.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mapper = new UpstreamTaskMapperImpl();
    }

    /** The page; it carries {@code body} (not copied: never modify it) when that is this service's own answer for it. */
    public TaskPage parse(byte[] body) {
        TaskPage canonical = CanonicalAnswer.read(body);
        if (canonical != null) {
            return canonical;
        }
        try {
            ShowDesktopPoolsScriptExecTasksResponse response = reader.readValue(body);
            return mapper.toPage(response);
        } catch (MalformedUpstreamAnswerException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Bytes that do not bind, or values the domain rejects: the answer's fault either way.
            throw new MalformedUpstreamAnswerException("unreadable answer: " + e.getClass().getSimpleName());
        }
    }
}
