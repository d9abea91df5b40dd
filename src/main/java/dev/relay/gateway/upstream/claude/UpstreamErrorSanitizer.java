package dev.relay.gateway.upstream.claude;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes out of upstream error text only what would tell the client which account or reseller served it
 * (utils/errorSanitizer.js, relay.md §5.3, narrowed — docs/redis-compat.md): links and e-mail addresses that are
 * not Anthropic's documentation (with the "visit"/"see our"/"contact us at"/"for more details" phrase leading to
 * them), known reseller names as whole words, and credentials. Everything else, Anthropic's documentation links
 * included, stays as the upstream wrote it: clients such as Claude Code recognise some conditions by their wording.
 */
public final class UpstreamErrorSanitizer {
    /** A link or address, with the phrase that points the reader to it. */
    private static final Pattern LINK = Pattern.compile(
            "(?:(?:for more details|more details)[^.]*?\\s|\\b(?:visit|see our|contact us at)\\s+)?"
                    + "(https?://[^\\s\"'<>]+|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+)",
            Pattern.CASE_INSENSITIVE);
    /** The legacy's reseller names, matched as whole words (optionally as a domain, e.g. {@code packy.ai}). */
    private static final Pattern RESELLER = Pattern.compile(
            "\\b(?:88code|duck(?:coding)?|packy(?:code|api)?|ikun(?:code)?|privnode|yescode|yes\\.vg|share|yhlxj|gac"
                    + "|driod)(?:\\.[a-z]{2,})*\\b",
            Pattern.CASE_INSENSITIVE);
    /** An API key or bearer token echoed back by the upstream. */
    private static final Pattern CREDENTIAL = Pattern.compile(
            "\\b(?:sk-ant-[\\w-]+|sk-[A-Za-z0-9_-]{20,}|cr_[A-Za-z0-9]{20,})|(?i:bearer)\\s+[\\w.~+/-]{16,}=*");
    /** Hosts whose links are documentation, not a reseller's page. */
    private static final String[] DOCUMENTATION_HOSTS = {"anthropic.com", "claude.com", "claude.ai"};
    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}";
    static final String GENERIC = "The requested model is currently unavailable";
    static final String REDACTED = "[redacted]";

    private UpstreamErrorSanitizer() {
    }

    /** The text cleaned; the same instance when nothing in it needed cleaning. */
    public static String text(String input) {
        if (input == null) {
            return null;
        }
        String cleaned = CREDENTIAL.matcher(input).replaceAll(REDACTED);
        cleaned = withoutForeignLinks(cleaned);
        cleaned = RESELLER.matcher(cleaned).replaceAll("");
        if (cleaned.equals(input)) {
            return input;
        }
        // the gap a removal left: doubled spaces, a space before punctuation, punctuation doubled
        cleaned = cleaned.replaceAll("[ \\t]{2,}", " ").replaceAll(" +([,.;:])", "$1")
                .replaceAll("([.,;:])\\1+", "$1").trim();
        return cleaned.length() < 5 ? GENERIC : cleaned;
    }

    /** Each string of the body cleaned; the same instance when nothing in it needed cleaning. */
    public static JsonObject json(JsonObject input) {
        JsonObject out = new JsonObject();
        boolean changed = false;
        for (var e : input) {
            Object cleaned = value(e.getValue());
            changed |= cleaned != e.getValue();
            out.put(e.getKey(), cleaned);
        }
        return changed ? out : input;
    }

    private static Object value(Object v) {
        if (v instanceof String s) {
            return text(s);
        }
        if (v instanceof JsonObject o) {
            return json(o);
        }
        if (v instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            boolean changed = false;
            for (Object x : a) {
                Object cleaned = value(x);
                changed |= cleaned != x;
                out.add(cleaned);
            }
            return changed ? out : a;
        }
        return v;
    }

    private static String withoutForeignLinks(String text) {
        Matcher m = LINK.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String target = m.group(1);
            int keep = target.length();
            while (keep > 0 && TRAILING_PUNCTUATION.indexOf(target.charAt(keep - 1)) >= 0) {
                keep--;
            }
            String link = target.substring(0, keep);
            String trailing = target.substring(keep);
            String replacement = isDocumentation(link) ? m.group() : trailing;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean isDocumentation(String link) {
        if (!link.regionMatches(true, 0, "http", 0, 4)) {
            return false; // an e-mail address
        }
        String host;
        try {
            host = URI.create(link).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        for (String docs : DOCUMENTATION_HOSTS) {
            if (host.equals(docs) || host.endsWith("." + docs)) {
                return true;
            }
        }
        return false;
    }
}
