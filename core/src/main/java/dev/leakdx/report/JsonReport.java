package dev.leakdx.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.leakdx.explain.Report;

/** The machine-readable report; its shape is documented in knowledge-base-docs/json-schema.md. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private JsonReport() {}

    public static String render(Report r) {
        try {
            return JSON.writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report not serialisable: " + e.getMessage(), e);
        }
    }

    /** The same report on one line: a batch writes one per capture (JSON lines). */
    public static String renderLine(Report r) {
        try {
            return COMPACT.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report not serialisable: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() { return JSON; }
}
