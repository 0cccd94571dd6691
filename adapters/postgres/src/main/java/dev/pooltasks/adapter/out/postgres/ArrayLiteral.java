package dev.pooltasks.adapter.out.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a one-dimensional PostgreSQL {@code text[]} in its text form, as the server sends it: {@code {a,"b c","d\"e"}}.
 * Elements are unquoted (no commas, quotes, braces, backslashes or surrounding spaces) or double-quoted with
 * backslash escapes. Hand-written because it is the hot path of loading a mirror (see
 * {@link PostgresMirrorStore.ScriptLists}); the driver's general reader costs several times more.
 */
final class ArrayLiteral {
    private ArrayLiteral() {
    }

    static List<String> parse(String literal) {
        if (literal == null || literal.length() < 2 || literal.charAt(0) != '{'
                || literal.charAt(literal.length() - 1) != '}') {
            throw new IllegalArgumentException("not a one-dimensional array literal: " + literal);
        }
        List<String> values = new ArrayList<>(4);
        int end = literal.length() - 1;
        int i = 1;
        if (i == end) {
            return values;
        }
        StringBuilder value = new StringBuilder();
        while (true) {
            value.setLength(0);
            if (literal.charAt(i) == '"') {
                i++;
                while (literal.charAt(i) != '"') {
                    char c = literal.charAt(i++);
                    value.append(c == '\\' ? literal.charAt(i++) : c);
                }
                i++;
            } else {
                while (i < end && literal.charAt(i) != ',') {
                    value.append(literal.charAt(i++));
                }
                if (value.toString().equals("NULL")) {
                    throw new IllegalArgumentException("a null element in " + literal);
                }
            }
            values.add(value.toString());
            if (i == end) {
                return values;
            }
            if (literal.charAt(i) != ',') {
                throw new IllegalArgumentException("not a one-dimensional array literal: " + literal);
            }
            i++;
        }
    }
}
