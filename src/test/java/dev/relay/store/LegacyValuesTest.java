package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LegacyValuesTest {

    @Test
    void parsesLikeJavaScript() {
        assertEquals(10, LegacyValues.parseInt("10abc"));
        assertEquals(1, LegacyValues.parseInt("1e-7"));
        assertEquals(0, LegacyValues.parseInt(""));
        assertEquals(0, LegacyValues.parseInt(null));
        assertEquals(1e-7, LegacyValues.parseFloat("1e-7"));
        assertEquals(2.5, LegacyValues.parseFloat("2.5usd"));
        assertEquals(0, LegacyValues.parseFloat("usd"));
        assertEquals(0.5, LegacyValues.parseFloat(".5"));
    }

    @Test
    void formatsLikeJavaScript() {
        assertEquals("50", LegacyValues.formatNumber(50));
        assertEquals("0.1", LegacyValues.formatNumber(0.1));
        assertEquals("0.30000000000000004", LegacyValues.formatNumber(0.1 + 0.2));
        assertEquals("1e-7", LegacyValues.formatNumber(1e-7));
        assertEquals("1e+21", LegacyValues.formatNumber(1e21));
        assertEquals("0.0105375", LegacyValues.formatNumber(0.0105375));
        assertEquals("-2.5", LegacyValues.formatNumber(-2.5));
    }

    @Test
    void smallNumbersArePrintedPlainWithoutBigDecimalAndAgreeWithIt() {
        assertEquals("0.0001125", LegacyValues.formatNumber(0.0001125));
        assertEquals("-0.000001", LegacyValues.formatNumber(-1e-6));
        assertEquals("0.0009", LegacyValues.formatNumber(0.0009));
        assertEquals("0.0000012345678901234567", LegacyValues.formatNumber(1.2345678901234567e-6));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            double v = Math.pow(10, -6 + 3 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
            if (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e-3) {
                continue;
            }
            String expected = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            assertEquals(expected, LegacyValues.formatNumber(v), "for " + Double.toString(v));
        }
    }
}
