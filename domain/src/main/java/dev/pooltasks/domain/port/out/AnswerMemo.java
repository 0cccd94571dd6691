package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.List;
import java.util.Objects;

/**
 * Keeps answers merged from cached copies together with the copies they came from, so that a repeated query whose
 * copies are all still the current ones is answered with the very same page (and so with the body it was encoded to
 * once) instead of being merged and encoded again. Whoever uses an answer checks its copies first; the memo only keeps
 * answers, bounded by the memory they take, and may drop any at any time.
 */
public interface AnswerMemo {
    /** Keeps nothing: every lookup misses. */
    AnswerMemo NONE = new AnswerMemo() {
        @Override
        public Answer get(Key key) {
            return null;
        }

        @Override
        public void put(Key key, Answer answer) {
        }

        @Override
        public void remove(Key key) {
        }
    };

    /** The answer kept for {@code key}, or null. */
    Answer get(Key key);

    void put(Key key, Answer answer);

    void remove(Key key);

    /** What an answer is for: one source (a federation's alias) and the query it was asked. */
    record Key(String source, TaskQuery query) {
        public Key {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(query, "query");
        }
    }

    /**
     * A merged page and, in the order they were read, the copies it was merged from: which member ({@code member},
     * its position in the source) was asked {@code query}, and the copy it answered with.
     */
    record Answer(TaskPage page, List<Part> parts) {
        public Answer {
            Objects.requireNonNull(page, "page");
            parts = List.copyOf(parts);
        }
    }

    record Part(int member, TaskQuery query, TaskPage copy) {
        public Part {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(copy, "copy");
        }
    }
}
