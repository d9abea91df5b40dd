package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
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
    void smallNumbersArePrintedPlainAsJavaScriptDoes() {
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

    @Test
    void costsArePrintedAsTheShortestDecimalThatReadsBackAsJavaScriptDoes() {
        assertEquals("0.0036", LegacyValues.formatNumber(0.0036));
        assertEquals("0.005175", LegacyValues.formatNumber(0.005175));
        assertEquals("0.0105375", LegacyValues.formatNumber(0.0105375));
        assertEquals("1234567.5", LegacyValues.formatNumber(1234567.5));
        assertEquals("-0.25", LegacyValues.formatNumber(-0.25));
        assertEquals("0.0008625000000000001", LegacyValues.formatNumber(0.0008625000000000001));
        assertEquals("0.30000000000000004", LegacyValues.formatNumber(0.1 + 0.2));
        // costs as the calculator makes them: tokens × price per token, summed
        java.util.Random random = new java.util.Random(11);
        double[] prices = {0.000003, 0.000015, 0.00000375, 0.0000003, 0.000006, 0.0000225, 0.000075, 0.0000008};
        for (int i = 0; i < 50_000; i++) {
            double v = random.nextInt(200_000) * prices[random.nextInt(prices.length)];
            if (random.nextBoolean()) {
                v += random.nextInt(5_000) * prices[random.nextInt(prices.length)];
            }
            if (v == 0 || v == Math.rint(v) || Math.abs(v) < 1e-6 || Math.abs(v) >= 1e7) {
                continue;
            }
            String ours = LegacyValues.formatNumber(v);
            String java = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            assertEquals(v, Double.parseDouble(ours), ours);
            assertTrue(ours.length() <= java.length(), ours + " vs " + java);
            if (ours.length() == java.length()) {
                assertEquals(java, ours);
            }
        }
    }
}
