package dev.relay.fake;

import io.vertx.core.buffer.Buffer;

/**
 * Finds {@code "stream": true} in a request body without parsing it. A {@code "stream"} inside a JSON string
 * value has escaped quotes ({@code \"stream\"}), so only the real key matches.
 */
final class StreamRequestDetector {
    private static final byte[] KEY = "\"stream\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private StreamRequestDetector() {
    }

    static boolean wantsStream(Buffer body) {
        int length = body.length();
        outer:
        for (int i = 0; i <= length - KEY.length; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (body.getByte(i + k) != KEY[k]) {
                    continue outer;
                }
            }
            int j = skipSpaces(body, i + KEY.length, length);
            if (j >= length || body.getByte(j) != ':') {
                continue;
            }
            j = skipSpaces(body, j + 1, length);
            if (j + TRUE.length > length) {
                return false;
            }
            boolean isTrue = true;
            for (int k = 0; k < TRUE.length; k++) {
                isTrue &= body.getByte(j + k) == TRUE[k];
            }
            if (isTrue) {
                return true;
            }
        }
        return false;
    }

    private static int skipSpaces(Buffer body, int from, int length) {
        int j = from;
        while (j < length) {
            byte b = body.getByte(j);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            j++;
        }
        return j;
    }
}
