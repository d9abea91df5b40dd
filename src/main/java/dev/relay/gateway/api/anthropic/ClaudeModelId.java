package dev.relay.gateway.api.anthropic;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Claude model id says about itself: a human name ({@code claude-opus-4-5-20251101} → "Claude Opus 4.5",
 * {@code claude-3-5-haiku-20241022} → "Claude Haiku 3.5"), its version and its release date. Ids not in
 * Anthropic's naming are shown as they are.
 */
record ClaudeModelId(String id) {
    /** {@code claude-<family>-<major>[-<minor>][-<yyyymmdd>]} (Claude 4 and later, any family name). */
    private static final Pattern FAMILY_FIRST = Pattern.compile(
            "claude-([a-z]+)-(\\d+)(?:-(\\d{1,2}))?(?:-(\\d{8}))?");
    /** {@code claude-<major>[-<minor>]-<family>[-<yyyymmdd>|-latest]} (Claude 3.x). */
    private static final Pattern VERSION_FIRST = Pattern.compile(
            "claude-(\\d+)(?:-(\\d{1,2}))?-(opus|sonnet|haiku)(?:-(\\d{8})|-latest)?");

    /** An id in Anthropic's own naming (the price file also holds provider aliases such as claude-4-opus-…). */
    boolean anthropicNaming() {
        Matcher v = VERSION_FIRST.matcher(id);
        return FAMILY_FIRST.matcher(id).matches() || (v.matches() && Integer.parseInt(v.group(1)) < 4);
    }

    String displayName() {
        Matcher f = FAMILY_FIRST.matcher(id);
        if (f.matches()) {
            return name(f.group(1), f.group(2), f.group(3));
        }
        Matcher v = VERSION_FIRST.matcher(id);
        if (v.matches()) {
            return name(v.group(3), v.group(1), v.group(2));
        }
        return id;
    }

    /** {@code major * 100 + minor} ({@code claude-opus-4-5} → 405), -1 outside Anthropic's naming. */
    int version() {
        Matcher f = FAMILY_FIRST.matcher(id);
        if (f.matches()) {
            return Integer.parseInt(f.group(2)) * 100 + (f.group(3) == null ? 0 : Integer.parseInt(f.group(3)));
        }
        Matcher v = VERSION_FIRST.matcher(id);
        if (v.matches()) {
            return Integer.parseInt(v.group(1)) * 100 + (v.group(2) == null ? 0 : Integer.parseInt(v.group(2)));
        }
        return -1;
    }

    /** The release date at the end of the id, as epoch seconds of that UTC day; 0 when the id has none. */
    long releasedEpochSecond() {
        Matcher f = FAMILY_FIRST.matcher(id);
        String date = f.matches() ? f.group(4) : null;
        if (date == null) {
            Matcher v = VERSION_FIRST.matcher(id);
            date = v.matches() ? v.group(4) : null;
        }
        if (date == null) {
            return 0;
        }
        try {
            return LocalDate.parse(date, java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    .atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** The same model without its release date ({@code claude-opus-4-1-20250805} → {@code claude-opus-4-1}). */
    String undated() {
        return id.replaceFirst("-\\d{8}$", "");
    }

    private static String name(String family, String major, String minor) {
        String version = minor == null ? major : major + "." + minor;
        return "Claude " + family.substring(0, 1).toUpperCase(Locale.ROOT) + family.substring(1) + " " + version;
    }
}
