package dev.relay.auth;

/**
 * Whether a request passed a key's client rules and, when it did not, why: one line for the operator's log, never
 * sent to the client (the client gets the legacy's fixed 403 body).
 */
public record ClientVerdict(boolean accepted, String reason) {
    public static final ClientVerdict ACCEPTED = new ClientVerdict(true, "");

    public static ClientVerdict refused(String reason) {
        return new ClientVerdict(false, reason);
    }

    /**
     * A short, log-safe excerpt of client-sent text: at most {@code max} characters of it, stripped, with line
     * breaks and other control characters as spaces and double quotes as single ones, so that the excerpt cannot
     * end the log line or the quotes it is shown in.
     */
    static String excerpt(String text, int max) {
        String stripped = text.strip();
        StringBuilder out = new StringBuilder(Math.min(stripped.length(), max) + 1);
        stripped.codePoints().limit(max).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(' ');
            } else if (c == '"') {
                out.append('\'');
            } else {
                out.appendCodePoint(c);
            }
        });
        if (stripped.codePointCount(0, stripped.length()) > max) {
            out.append('…');
        }
        return out.toString();
    }
}
