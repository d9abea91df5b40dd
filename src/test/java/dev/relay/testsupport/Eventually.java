package dev.relay.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;

/** Waits for a condition (polling it), never for a fixed time. */
public final class Eventually {
    private Eventually() {
    }

    public static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TestRedis.timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + TestRedis.timeout().toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
