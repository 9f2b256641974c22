package dev.leakdx.explain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;

/** How a few report fields look in JSON (knowledge-base-docs/json-schema.md and report.schema.json say the same). */
final class JsonShapes {
    private JsonShapes() {}

    /** A count or size that is not known (-1 inside leakdx) is null in JSON. */
    static final class UnknownAsNull extends JsonSerializer<Long> {
        @Override public void serialize(Long v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == null || v < 0) g.writeNull(); else g.writeNumber(v);
        }
    }

    /** And back: null is -1 (a report read from its JSON, as --redact does). */
    static final class NullAsUnknown extends JsonDeserializer<Long> {
        @Override public Long deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return p.currentToken() == JsonToken.VALUE_NULL ? -1L : p.getLongValue();
        }

        @Override public Long getNullValue(DeserializationContext c) { return -1L; }
    }

    /** A host value that is a whole number (page_size, ram_bytes) is a JSON number; others stay strings. */
    static final class NumberIfWhole extends JsonSerializer<String> {
        @Override public void serialize(String v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v != null && v.matches("-?\\d{1,18}")) g.writeNumber(Long.parseLong(v)); else g.writeString(v);
        }
    }
}
