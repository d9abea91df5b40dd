package dev.relay.admin.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The legacy's {@code CostCalculator.formatCost}: two decimals from $1, four from $0.001, else six. */
public final class CostFormat {
    private CostFormat() {
    }

    public static String format(double cost) {
        int decimals = cost >= 1 ? 2 : cost >= 0.001 ? 4 : 6;
        return "$" + toFixed(cost, decimals);
    }

    /** JavaScript {@code toFixed}: the double's exact decimal value, rounded half up. */
    public static String toFixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
