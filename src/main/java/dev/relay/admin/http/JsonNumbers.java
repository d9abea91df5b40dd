package dev.relay.admin.http;

/** Numbers as JSON.stringify writes them: integral values without a fraction. */
public final class JsonNumbers {
    private JsonNumbers() {
    }

    public static Number of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        if (value == Math.rint(value) && Math.abs(value) < 9.0e15) {
            return (long) value;
        }
        return value;
    }
}
