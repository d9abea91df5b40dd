package dev.relay.admin.http;

import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * JavaScript's conversions of a request body's values, as the legacy handlers apply them before storing: {@code
 * Number(x)}, {@code String(x)}, truthiness. Bodies are Vert.x JSON values (String, Number, Boolean, JsonArray,
 * JsonObject or null).
 */
public final class JsValues {
    private JsValues() {
    }

    /** {@code Number(x)}: NaN for text that is not a number; "" and null are 0. */
    public static double number(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            String t = s.strip();
            if (t.isEmpty()) {
                return 0;
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** {@code Number.isInteger(Number(x)) && Number(x) >= min}. */
    public static boolean integerAtLeast(Object value, double min) {
        double n = number(value);
        return !Double.isNaN(n) && !Double.isInfinite(n) && n == Math.rint(n) && n >= min;
    }

    /** {@code !isNaN(Number(x)) && Number(x) >= 0}. */
    public static boolean nonNegative(Object value) {
        double n = number(value);
        return !Double.isNaN(n) && n >= 0;
    }

    /** {@code String(x)} as ioredis stores it: numbers in JavaScript's format, null as "". */
    public static String string(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number n) {
            return LegacyValues.formatNumber(n.doubleValue());
        }
        if (value instanceof JsonArray array) {
            // Array.prototype.toString joins with commas
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    joined.append(',');
                }
                joined.append(array.getValue(i) == null ? "" : string(array.getValue(i)));
            }
            return joined.toString();
        }
        if (value instanceof JsonObject) {
            return "[object Object]";
        }
        return value.toString();
    }

    /** JavaScript truthiness. */
    public static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }

    /** {@code x !== undefined && x !== null && x !== ''}. */
    public static boolean given(JsonObject body, String field) {
        Object value = body.getValue(field);
        return value != null && !"".equals(value);
    }
}
