package dev.leakdx.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An input leakdx would have used but the capture lacks (a sosreport without vmallocinfo, a live
 * host whose /proc/kpageflags was not readable), and what it would have added to the diagnosis.
 */
public record MissingInput(String input, String hint) {

    /** The {@code missing:} list a case.yaml written by {@code leakdx capture} carries (other case.yaml keys are the Manifest's). */
    static List<MissingInput> fromManifest(Path caseYaml) {
        List<MissingInput> out = new ArrayList<>();
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(caseYaml.toFile());
            if (root == null) return out;
            for (JsonNode m : root.path("missing"))
                if (!m.path("input").asText("").isEmpty()) out.add(new MissingInput(m.path("input").asText(), m.path("hint").asText("")));
        } catch (IOException e) {
            // an unreadable case.yaml is reported by Manifest.read; nothing more to say here
        }
        return out;
    }
}
