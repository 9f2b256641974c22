package dev.leakdx.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.leakdx.extract.Diagnostic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code case.yaml} at a capture's root. It states what no capture file can
 * (this folder is a healthy twin; these two files are before/after drop_caches) and host
 * facts the analyst knows:
 * <pre>
 * host: {arch: arm64, page_size: 65536, kernel_release: 4.18.0}
 * files:
 *   - glob: "node-1/*"
 *     host: node-1
 *   - glob: "node-1/kmem-i.1.txt"
 *     snapshot: before_drop_caches
 * snapshot_times: {before: "2026-03-01T08:00:00Z", "": "2026-03-01T20:00:00Z"}
 * </pre>
 * Later entries override earlier ones for the same file. {@code snapshot_times} gives the wall
 * clock time of snapshots whose names carry none (ISO 8601 UTC or seconds since the epoch), for
 * growth rates (engine/Trends; knowledge-base-docs/trend.md).
 */
public record Manifest(Map<String, String> hostFacts, List<FileRule> files, String source, Map<String, String> snapshotTimes,
                       List<Diagnostic> problems) {

    /** A {@code files[]} entry; its glob is matched by {@link SafeGlob}, never by a backtracking regex. */
    public record FileRule(SafeGlob matcher, String glob, String host, String snapshot) {}

    public Manifest(Map<String, String> hostFacts, List<FileRule> files, String source, Map<String, String> snapshotTimes) {
        this(hostFacts, files, source, snapshotTimes, List.of());
    }

    public static final Manifest EMPTY = new Manifest(Map.of(), List.of(), "", Map.of());

    /**
     * Reads a case.yaml. A value that cannot be used (a glob that does not compile, a page_size that is
     * not a positive power of two) is left out and listed in {@link #problems()} with case.yaml:line;
     * a file that is not YAML at all throws an IOException that names it and the line.
     */
    public static Manifest read(Path file, String citeName) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new NotYaml(citeName, line, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        }
        if (root == null || !root.isObject()) return EMPTY;
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Diagnostic> problems = new ArrayList<>();
        Map<String, String> host = new LinkedHashMap<>();
        JsonNode h = root.path("host");
        h.fields().forEachRemaining(e -> host.put(e.getKey(), e.getValue().asText()));
        String ps = host.get("page_size");
        if (ps != null) {
            String why = pageSizeFault(ps);
            if (why != null) {
                host.remove("page_size");
                problems.add(new Diagnostic(citeName, lineOf(text, "page_size"), "error", "host page_size '" + ps + "' " + why + ": ignored"));
            }
        }
        // a leakdx capture bundle says where and when it was taken: the host's name and the UTC time, shown as host facts
        JsonNode cap = root.path("capture");
        if (cap.hasNonNull("hostname") && !cap.get("hostname").asText().isBlank()) host.putIfAbsent("hostname", cap.get("hostname").asText().strip());
        if (cap.hasNonNull("time") && !cap.get("time").asText().isBlank()) host.putIfAbsent("captured", cap.get("time").asText().strip());
        List<FileRule> rules = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            String glob = f.path("glob").asText("");
            if (glob.isEmpty()) continue;
            SafeGlob g;
            try {
                g = SafeGlob.compile(glob);
            } catch (IllegalArgumentException e) {
                problems.add(new Diagnostic(citeName, lineOf(text, glob), "error", "files[].glob: " + e.getMessage() + ": entry ignored"));
                continue;
            }
            rules.add(new FileRule(g, glob,
                    f.hasNonNull("host") ? f.get("host").asText() : null,
                    f.hasNonNull("snapshot") ? f.get("snapshot").asText() : null));
        }
        Map<String, String> times = new LinkedHashMap<>();
        root.path("snapshot_times").fields().forEachRemaining(e -> times.put(e.getKey(), e.getValue().asText()));
        return new Manifest(host, rules, citeName, times, problems);
    }

    /** A case.yaml that is not YAML; the message cites file:line. */
    public static final class NotYaml extends IOException {
        public final String file;
        public final long line;
        public final String reason;

        NotYaml(String file, long line, String reason) {
            super(file + (line > 0 ? ":" + line : "") + ": " + reason);
            this.file = file;
            this.line = line;
            this.reason = reason;
        }
    }

    /** Why a stated page size cannot be one (null when it can): not a number, not positive, not a power of two. */
    static String pageSizeFault(String v) {
        long n;
        try {
            n = Limits.parse(v);
        } catch (NumberFormatException | ArithmeticException e) {
            return "is not a size";
        }
        if (n <= 0) return "is not positive";
        if (Long.bitCount(n) != 1) return "is not a power of two";
        return null;
    }

    /** The first line (1-based) of the file that holds {@code needle}, or 0. */
    private static long lineOf(List<String> text, String needle) {
        for (int i = 0; i < text.size(); i++) if (text.get(i).contains(needle)) return i + 1;
        return 0;
    }

    public CaptureFile label(CaptureFile cf, String relative) {
        String host = cf.host(), snap = cf.snapshot();
        for (FileRule r : files) {
            if (r.matcher().matches(relative)) {
                if (r.host() != null) host = r.host();
                if (r.snapshot() != null) snap = r.snapshot();
            }
        }
        return cf.withLabels(host, snap);
    }
}
