package dev.leakdx.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
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
public record Manifest(Map<String, String> hostFacts, List<FileRule> files, String source, Map<String, String> snapshotTimes) {

    public record FileRule(PathMatcher matcher, String glob, String host, String snapshot) {}

    public static final Manifest EMPTY = new Manifest(Map.of(), List.of(), "", Map.of());

    public static Manifest read(Path file, String citeName) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.isObject()) return EMPTY;
        Map<String, String> host = new LinkedHashMap<>();
        JsonNode h = root.path("host");
        h.fields().forEachRemaining(e -> host.put(e.getKey(), e.getValue().asText()));
        List<FileRule> rules = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            String glob = f.path("glob").asText("");
            if (glob.isEmpty()) continue;
            rules.add(new FileRule(FileSystems.getDefault().getPathMatcher("glob:" + glob), glob,
                    f.hasNonNull("host") ? f.get("host").asText() : null,
                    f.hasNonNull("snapshot") ? f.get("snapshot").asText() : null));
        }
        Map<String, String> times = new LinkedHashMap<>();
        root.path("snapshot_times").fields().forEachRemaining(e -> times.put(e.getKey(), e.getValue().asText()));
        return new Manifest(host, rules, citeName, times);
    }

    public CaptureFile label(CaptureFile cf, String relative) {
        String host = cf.host(), snap = cf.snapshot();
        for (FileRule r : files) {
            if (r.matcher().matches(Path.of(relative))) {
                if (r.host() != null) host = r.host();
                if (r.snapshot() != null) snap = r.snapshot();
            }
        }
        return cf.withLabels(host, snap);
    }
}
