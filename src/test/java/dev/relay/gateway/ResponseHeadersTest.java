package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ResponseHeadersTest {

    @Test
    void requestIdNeverFailsAndStaysShortBase36() {
        for (int i = 0; i < 200_000; i++) {
            String id = ResponseHeaders.requestId();
            assertTrue(id.length() >= 1 && id.length() <= 11 && id.matches("[0-9a-z]+"), id);
        }
    }
}
