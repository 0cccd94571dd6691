package dev.pooltasks.cli;

/**
 * Table cells measured in terminal columns. Hand-written: the JDK has no wcwidth, picocli keeps its CJK check
 * private, and ICU4J or JLine would add megabytes for one function. East Asian wide and fullwidth characters take two
 * columns, combining marks none, everything else one.
 */
final class TextCells {
    static final String ELLIPSIS = "…";

    /** Code point ranges that terminals draw two columns wide (East Asian Wide and Fullwidth, emoji). */
    private static final int[][] WIDE = {
            {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
            {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
            {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
    };

    private TextCells() {
    }

    /**
     * The text with what a terminal would act on instead of showing made harmless: line breaks and tabs become
     * spaces, other control and format characters (escape sequences, bidirectional overrides) become "?".
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                out.append(' ');
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Terminal columns of printable text. */
    static int width(String text) {
        return text.codePoints().map(TextCells::width).sum();
    }

    static int width(int codePoint) {
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
            return 0;
        }
        for (int[] range : WIDE) {
            if (codePoint >= range[0] && codePoint <= range[1]) {
                return 2;
            }
        }
        return 1;
    }

    /** Printable text cut to at most {@code columns} columns, ending in "…" when cut. */
    static String truncate(String text, int columns) {
        if (width(text) <= columns) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int cp : text.codePoints().toArray()) {
            int w = width(cp);
            if (used + w + 1 > columns) {
                break;
            }
            out.appendCodePoint(cp);
            used += w;
        }
        return out + ELLIPSIS;
    }

    /** Printable text cut to {@code columns} and padded with spaces to exactly that width. */
    static String cell(String text, int columns) {
        String cut = truncate(text, columns);
        return cut + " ".repeat(Math.max(0, columns - width(cut)));
    }
}
