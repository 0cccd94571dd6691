package dev.pooltasks.domain.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinct values numbered in the order first seen, so that a column holds a small code instead of a repeated value.
 * Grows while an index is built; read-only once the index is published (a new index copies it before adding).
 */
final class ValueDictionary<T> {
    private final List<T> values;
    private final Map<T, Integer> codes;

    ValueDictionary() {
        this(new ArrayList<>(), new HashMap<>());
    }

    private ValueDictionary(List<T> values, Map<T, Integer> codes) {
        this.values = values;
        this.codes = codes;
    }

    /** The code of {@code value}, which is added if new. */
    int code(T value) {
        Integer code = codes.get(value);
        if (code == null) {
            code = values.size();
            values.add(value);
            codes.put(value, code);
        }
        return code;
    }

    /** The code of {@code value}, or -1 when no task has it. */
    int find(T value) {
        Integer code = codes.get(value);
        return code == null ? -1 : code;
    }

    T value(int code) {
        return values.get(code);
    }

    int size() {
        return values.size();
    }

    ValueDictionary<T> copy() {
        return new ValueDictionary<>(new ArrayList<>(values), new HashMap<>(codes));
    }
}
