package dev.relay.gateway;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson's read limits, set from the body limit. Vert.x's {@code Json}/{@code JsonObject} parse with the
 * application's ObjectMapper in Quarkus, so this covers every request body relay reads. Jackson's defaults refuse
 * a string over 20,000,000 characters (and a field name over 50,000), which a valid body under the limit can hold,
 * e.g. a base64 document; neither can be longer than the body, so the body limit bounds them. Nesting depth and
 * number length keep Jackson's defaults (1000 each): deeper or longer cost stack or quadratic parse time, and no
 * Messages request has them.
 */
@Singleton
public class JsonReadLimits implements ObjectMapperCustomizer {
    private final StreamReadConstraints constraints;

    public JsonReadLimits(BodyLimit limit) {
        int chars = (int) Math.min(Integer.MAX_VALUE, limit.maxBytes());
        this.constraints = StreamReadConstraints.builder().maxStringLength(chars).maxNameLength(chars).build();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(constraints);
    }
}
