package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Jackson's read limits follow the body limit: what fits in a body parses, whatever its longest string. */
@Tag("fast")
class JsonReadLimitsTest {

    private static ObjectMapper mapperFor(long bodyLimitBytes) {
        ObjectMapper mapper = new ObjectMapper();
        new JsonReadLimits(new BodyLimit(bodyLimitBytes)).customize(mapper);
        return mapper;
    }

    @Test
    void aStringOverJacksonsDefaultParsesUnderRelaysLimit() throws Exception {
        String text = "y".repeat(20_000_001);
        ObjectMapper plain = new ObjectMapper();
        String body = "{\"content\":\"" + text + "\"}";
        assertThrows(StreamConstraintsException.class, () -> plain.readTree(body), "Jackson's default changed");

        JsonNode parsed = mapperFor(60L * 1024 * 1024).readTree(body);

        assertEquals(text.length(), parsed.path("content").asText().length());
    }

    @Test
    void aLongFieldNameParsesToo() throws Exception {
        String name = "n".repeat(60_000);

        JsonNode parsed = mapperFor(1024 * 1024).readTree("{\"" + name + "\":1}");

        assertTrue(parsed.has(name));
    }

    @Test
    void stringsStopAtTheBodyLimit() {
        ObjectMapper mapper = mapperFor(1000);

        assertThrows(StreamConstraintsException.class, () -> mapper.readTree("\"" + "z".repeat(1001) + "\""));
    }

    @Test
    void nestingAndNumberLengthKeepJacksonsDefaults() {
        ObjectMapper mapper = mapperFor(60L * 1024 * 1024);

        assertThrows(StreamConstraintsException.class, () -> mapper.readTree("[".repeat(1001) + "]".repeat(1001)));
        assertThrows(StreamConstraintsException.class, () -> mapper.readTree("1".repeat(1001)).numberValue());
    }
}
