package dev.leakdx.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leakdx.extract.ResourceFolder;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.Units;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The norms of {@code rules/norms.yaml} (see the file's header for its format): read from a rules
 * folder the user names when it holds a norms.yaml, else from the copy packed with leakdx. Each
 * norm becomes a {@link Norm} fact whose provenance is its line in the file.
 */
public final class Norms {
    public static final String FILE = "norms.yaml";
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9.]+)\\s*(B|KiB|MiB|GiB|TiB)?\\s*");
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*-\\s*key:\\s*(.+?)\\s*$");

    private Norms() {}

    /** The norms for a rules folder (null: the packed ones); an absent file gives no norms, and rules that need one do not fire. */
    public static List<Norm> load(Path rulesDir) throws IOException {
        if (rulesDir != null && Files.isRegularFile(rulesDir.resolve(FILE)))
            return parse(Files.readString(rulesDir.resolve(FILE)), rulesDir.resolve(FILE).toString());
        for (ResourceFolder.Item item : ResourceFolder.read(null, "rules", ".yaml"))
            if (item.name().equals(FILE)) return parse(item.text(), item.origin());
        return List.of();
    }

    /** Parses a norms file; {@code origin} is what citations name (rules/norms.yaml). */
    public static List<Norm> parse(String text, String origin) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a knowledge author's typo: say where, as the DRL compiler does (file:line:column)
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new IOException(origin + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.has("norms")) throw new IOException(origin + ": no 'norms:' list");
        Map<String, Long> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = KEY_LINE.matcher(lines[i]);
            if (m.matches()) lineOf.putIfAbsent(unquote(m.group(1)), (long) i + 1);
        }
        JsonNode scale = root.path("severity");
        List<Norm> out = new ArrayList<>();
        for (JsonNode n : root.get("norms")) {
            String key = n.path("key").asText("");
            if (key.isEmpty()) throw new IOException(origin + ": a norm without key");
            long line = lineOf.getOrDefault(key, 1L);
            JsonNode normal = n.path("normal");
            JsonNode sev = n.has("severity") ? n.get("severity") : scale;
            List<String> sources = new ArrayList<>();
            for (JsonNode s : n.path("sources")) sources.add(s.asText());
            try {
                out.add(new Norm(key, n.path("what").asText(""), size(normal.path("base"), 0), normal.path("share").asDouble(0),
                        size(n.path("without_ram"), -1), normal.path("of_population").asDouble(-1), normal.path("pages").asLong(-1),
                        sev.path("warning").path("share").asDouble(0.05), size(sev.path("warning").path("bytes"), 4 * Units.GiB),
                        sev.path("critical").path("share").asDouble(0.25), size(sev.path("critical").path("bytes"), 32 * Units.GiB),
                        n.path("status").asText("provisional"), n.path("derivation").asText("").strip(), List.copyOf(sources),
                        new Provenance(origin, line, line, "", "", "norm"),
                        size(normal.path("knee"), 0), normal.path("share_above").asDouble(normal.path("share").asDouble(0)),
                        sev.path("warning").path("above_norm").asDouble(0)));
            } catch (IllegalArgumentException e) {
                throw new IOException(origin + ":" + line + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** "64 MiB" -> bytes; a bare number is bytes; absent -> {@code absent}. */
    static long size(JsonNode n, long absent) {
        if (n == null || n.isMissingNode() || n.isNull()) return absent;
        if (n.isNumber()) return n.asLong();
        Matcher m = SIZE.matcher(n.asText());
        if (!m.matches()) throw new IllegalArgumentException("not a size: '" + n.asText() + "' (write e.g. 64 MiB)");
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "B" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (u) { case "kib" -> Units.KiB; case "mib" -> Units.MiB; case "gib" -> Units.GiB; case "tib" -> Units.TiB; default -> 1; };
        return (long) (v * mult);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }
}
