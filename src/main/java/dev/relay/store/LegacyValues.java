package dev.relay.store;

import java.math.BigDecimal;

/**
 * How the legacy encodes and parses the strings it keeps in Redis (redis-keys.md §1.4, pitfalls P5, P10, P11):
 * lenient {@code parseInt}/{@code parseFloat}, {@code ""} for null, {@code true}/{@code false} for booleans and
 * JavaScript's number formatting.
 */
public final class LegacyValues {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private LegacyValues() {
    }

    /** JavaScript {@code parseInt(text) || 0}: leading integer prefix, anything else 0 ("10abc" → 10, "1e-7" → 1). */
    public static long parseInt(String text) {
        if (text == null) {
            return 0;
        }
        String s = text.strip();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 18) {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -value : value;
    }

    /** JavaScript {@code parseFloat(text) || 0}: longest numeric prefix, exponents accepted, otherwise 0. */
    public static double parseFloat(String text) {
        if (text == null) {
            return 0;
        }
        String s = text.strip();
        int end = numericPrefixEnd(s);
        if (end == 0) {
            return 0;
        }
        try {
            double d = Double.parseDouble(s.substring(0, end));
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Exactly {@code "true"} is true; the legacy compares strings. */
    public static boolean isTrue(String text) {
        return "true".equals(text);
    }

    /** {@code null} and {@code ""} both mean absent (ioredis writes JS null as ""). */
    public static boolean isBlank(String text) {
        return text == null || text.isEmpty();
    }

    /** An ISO time as the legacy stores it; null when empty or unparseable (which the legacy reads as "none"). */
    public static java.time.Instant parseIso(String text) {
        if (isBlank(text)) {
            return null;
        }
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** JavaScript {@code String(number)}: {@code 50}, {@code 0.1}, {@code 1e-7}, {@code 1e+21}. */
    public static String formatNumber(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return "0";
        }
        double abs = Math.abs(value);
        if (value == Math.rint(value) && abs < 1e21) {
            return Long.toString((long) value);
        }
        if (abs >= 1e-6 && abs < 1e7) {
            String shortDecimal = shortDecimal(value);
            if (shortDecimal != null) {
                return shortDecimal;
            }
        }
        if (abs >= 1e-3 && abs < 1e7) {
            // Double.toString prints this range without an exponent, as JavaScript does
            return Double.toString(value);
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return exact.toPlainString();
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "") + exponent;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21};

    /**
     * The decimal with the fewest fraction digits that reads back as {@code value}, when it has at most 15
     * significant digits (then it is the only one of that length, so it is what JavaScript prints); null otherwise.
     * Most costs are such numbers ({@code 0.0036}, {@code 0.0001125}), and Java 17's Double.toString is slow.
     * Only for 1e-6 ≤ |value| < 1e7, where JavaScript prints no exponent.
     */
    private static String shortDecimal(double value) {
        double abs = Math.abs(value);
        int leadingZeros = abs >= 1 ? 0 : (int) Math.ceil(-Math.log10(abs)) - 1;
        int integerDigits = abs >= 1 ? (int) Math.floor(Math.log10(abs)) + 1 : 0;
        for (int k = 1; k <= 21 && integerDigits + k - leadingZeros <= 15; k++) {
            double scaled = abs * POWERS_OF_TEN[k];
            long m = Math.round(scaled);
            if ((double) m / POWERS_OF_TEN[k] == abs) {
                String digits = Long.toString(m);
                StringBuilder out = new StringBuilder(k + 4);
                if (value < 0) {
                    out.append('-');
                }
                if (digits.length() <= k) {
                    out.append("0.");
                    for (int i = digits.length(); i < k; i++) {
                        out.append('0');
                    }
                    return out.append(digits).toString();
                }
                int point = digits.length() - k;
                return out.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
            }
        }
        return null;
    }

    /** A stored JSON array of strings ({@code restrictedModels}, {@code tags}, …); anything else reads as empty. */
    public static java.util.List<String> jsonStrings(String text) {
        if (isBlank(text)) {
            return java.util.List.of();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(text);
            if (node == null || !node.isArray()) {
                return java.util.List.of();
            }
            java.util.List<String> values = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode item : node) {
                if (item.isValueNode() && !item.isNull()) {
                    values.add(item.asText());
                }
            }
            return java.util.List.copyOf(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return java.util.List.of();
        }
    }

    private static int numericPrefixEnd(String s) {
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digitsStart = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i == digitsStart || (i == digitsStart + 1 && s.charAt(digitsStart) == '.')) {
            return 0;
        }
        int mantissaEnd = i;
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int expStart = j;
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
            if (j > expStart) {
                return j;
            }
        }
        return mantissaEnd;
    }
}
