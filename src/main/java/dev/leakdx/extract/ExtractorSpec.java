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
                            String reader, JsonNode options, String example, String origin) {

    public boolean matchesCommand(String baseCommand) {
        return command != null && command.matcher(baseCommand).find();
    }

    public boolean matchesHeader(String line) {
        for (Pattern p : headers) if (p.matcher(line).find()) return true;
        return false;
    }
}
