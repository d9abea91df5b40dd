package dev.relay.usage;

import dev.relay.store.LegacyValues;

/**
 * Writes the small JSON objects of a usage record and a billing event the way the legacy's
 * {@code JSON.stringify} does: members in call order, numbers as JavaScript prints them, strings escaped like
 * JSON.stringify (quote, backslash, control characters, lone surrogates). Straight into one StringBuilder: this
 * runs for every billed request.
 */
final class RecordJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(640);
    /** Bit d set: the object at depth d already has a member (the next one needs a comma). */
    private long hasMember;
    private int depth;

    RecordJson() {
        out.append('{');
    }

    RecordJson string(String name, String value) {
        name(name);
        quoted(value);
        return this;
    }

    /** Empty and missing strings become null, as ioredis hands them to JSON.stringify (fixture's "userId":null). */
    RecordJson stringOrNull(String name, String value) {
        return value == null || value.isEmpty() ? nullValue(name) : string(name, value);
    }

    RecordJson nullValue(String name) {
        name(name);
        out.append("null");
        return this;
    }

    RecordJson number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    RecordJson number(String name, double value) {
        name(name);
        out.append(LegacyValues.formatNumber(value));
        return this;
    }

    RecordJson bool(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    RecordJson object(String name) {
        name(name);
        out.append('{');
        depth++;
        hasMember &= ~(1L << depth);
        return this;
    }

    RecordJson end() {
        out.append('}');
        depth--;
        return this;
    }

    /** Closes the outermost object and returns the text. */
    String finish() {
        if (depth != 0) {
            throw new IllegalStateException("unclosed object");
        }
        return out.append('}').toString();
    }

    private void name(String name) {
        long bit = 1L << depth;
        if ((hasMember & bit) != 0) {
            out.append(',');
        }
        hasMember |= bit;
        quoted(name);
        out.append(':');
    }

    private void quoted(String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
                        unicodeEscape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }
}
