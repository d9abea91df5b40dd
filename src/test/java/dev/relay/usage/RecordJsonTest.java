package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class RecordJsonTest {

    @Test
    void nestedObjectsNumbersAndNullsAreWrittenInCallOrder() {
        String json = new RecordJson().string("a", "x").number("n", 5L).number("c", 0.0001125)
                .object("o").stringOrNull("empty", "").bool("t", true).end()
                .object("p").end()
                .nullValue("z").finish();
        assertEquals("{\"a\":\"x\",\"n\":5,\"c\":0.0001125,\"o\":{\"empty\":null,\"t\":true},\"p\":{},\"z\":null}", json);
    }

    @Test
    void stringsAreEscapedLikeJsonStringify() throws Exception {
        String nasty = "q\"b\\s/\n\r\t\b\f\u0001 é 😀 lone\ud800 end\udc00";
        String json = new RecordJson().string("name", nasty).finish();
        // JSON.stringify('q"b\\s/\n…'): control characters as short escapes or \\u00XX, lone surrogates escaped,
        // non-ASCII and slash as they are
        assertEquals("{\"name\":\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001 é 😀 lone\\ud800 end\\udc00\"}", json);
        assertEquals(nasty, new ObjectMapper().readTree(json).get("name").asText());
    }
}
