package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Loads the extractor specs and answers "which spec reads this command / this header?". */
public final class ExtractorRegistry {
    static final Set<String> READERS = Set.of("lines", "page-table", "struct", "raw-memory", "process-memory", "zoneinfo", "page-types-list",
            "ps-table", "numastat", "pagetypeinfo", "sysfs-hugepages", "free");

    private final List<ExtractorSpec> specs;

    private ExtractorRegistry(List<ExtractorSpec> specs) { this.specs = List.copyOf(specs); }

    /** From a folder of YAML specs, or (dir == null) the ones packed in the build. Bad specs fail loudly with their file name. */
    public static ExtractorRegistry load(Path dir) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<ExtractorSpec> specs = new ArrayList<>();
        for (ResourceFolder.Item item : ResourceFolder.read(dir, "facts-extractors", ".yaml")) {
            JsonNode n;
            try {
                n = yaml.readTree(item.text());
            } catch (IOException e) {
                throw new IOException(item.origin() + ": not valid YAML: " + e.getMessage(), e);
            }
            specs.add(parse(n, item.origin()));
        }
        if (specs.isEmpty()) throw new IOException("no extractor specs found" + (dir == null ? "" : " in " + dir));
        return new ExtractorRegistry(specs);
    }

    static ExtractorSpec parse(JsonNode n, String origin) throws IOException {
        String id = n.path("id").asText("");
        if (id.isEmpty()) throw new IOException(origin + ": spec has no id");
        String reader = n.path("reader").asText("lines");
        if (!READERS.contains(reader)) throw new IOException(origin + ": unknown reader '" + reader + "' (known: " + READERS + ")");
        JsonNode detect = n.path("detect");
        Pattern command = null;
        List<Pattern> headers = new ArrayList<>();
        try {
            if (detect.hasNonNull("command")) command = Pattern.compile(detect.get("command").asText());
            JsonNode h = detect.path("header");
            if (h.isTextual()) headers.add(Pattern.compile(h.asText()));
            for (JsonNode x : h) if (x.isTextual()) headers.add(Pattern.compile(x.asText()));
        } catch (PatternSyntaxException e) {
            throw new IOException(origin + ": bad regular expression in detect: " + e.getDescription());
        }
        if (command == null && headers.isEmpty()) throw new IOException(origin + ": detect needs a command or a header");
        JsonNode options = n.has("options") ? n.get("options") : JsonNodeFactory.instance.objectNode();
        List<String> examples = new ArrayList<>();
        for (JsonNode x : n.path("examples")) if (x.isTextual()) examples.add(x.asText());
        ExtractorSpec spec = new ExtractorSpec(id, n.path("title").asText(id), n.path("source").asText(""), command, headers,
                reader, options, n.path("example").asText(""), origin, List.copyOf(examples));
        Readers.validate(spec); // compile the reader's own regexes now, so a typo is reported at load
        return spec;
    }

    public List<ExtractorSpec> specs() { return specs; }

    public ExtractorSpec forCommand(String baseCommand) {
        for (ExtractorSpec s : specs) if (s.matchesCommand(baseCommand)) return s;
        return null;
    }

    public ExtractorSpec forHeader(String line) {
        for (ExtractorSpec s : specs) if (s.matchesHeader(line)) return s;
        return null;
    }
}
