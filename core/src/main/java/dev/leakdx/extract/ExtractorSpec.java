package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One capture format, as declared in {@code facts-extractors/NAME.yaml}: how to recognise
 * it (the crash command that produces it, or a header line found in the first lines of a
 * file), which reader turns its lines into facts, and the reader's options (for the
 * generic {@code lines} reader: regular expressions with named groups mapped to fact fields).
 */
public record ExtractorSpec(String id, String title, String source, Pattern command, List<Pattern> headers,
                            String reader, JsonNode options, String example, String origin, List<String> examples) {

    public ExtractorSpec(String id, String title, String source, Pattern command, List<Pattern> headers,
                         String reader, JsonNode options, String example, String origin) {
        this(id, title, source, command, headers, reader, options, example, origin, List.of());
    }

    /**
     * One example line per form the spec reads: {@code example} first, then the spec's
     * {@code examples:} list (other shapes of the same format: a grep'd excerpt, an old layout).
     * {@code leakdx formats} prints them and a test checks each is recognised as this spec.
     */
    public List<String> allExamples() {
        List<String> all = new java.util.ArrayList<>();
        if (!example.isBlank()) all.add(example);
        all.addAll(examples);
        return all;
    }

    public boolean matchesCommand(String baseCommand) {
        return command != null && command.matcher(baseCommand).find();
    }

    public boolean matchesHeader(String line) {
        for (Pattern p : headers) if (p.matcher(line).find()) return true;
        return false;
    }
}
