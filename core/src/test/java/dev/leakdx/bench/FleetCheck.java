package dev.leakdx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakdx.bench.FleetCaptureGenerator.Kind;
import dev.leakdx.bench.FleetCaptureGenerator.Truth;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fleet benchmark's answer checks, against the generator's OUT.truth.tsv:
 * <pre>
 * FleetCheck batch  OUT.truth.tsv verdicts.jsonl     (leakdx diagnose --batch OUT --format json)
 * FleetCheck report OUT.truth.tsv fleet-report.md    (leakdx fleet-report)
 * </pre>
 * batch: every leaking host's last capture must carry its kind's verdict code (any severity); the
 * other hosts' last captures with a warning or critical verdict are counted as false alarms (printed,
 * not failed: the templates are healthy, so any is worth a look). report: every leaking slab cache and
 * vmalloc caller must be named in the report, and the hosts it lists as running out first must be
 * leaking ones. Prints one line per check and exits 1 when one fails.
 */
public final class FleetCheck {
    private FleetCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !(args[0].equals("batch") || args[0].equals("report"))) {
            System.err.println("usage: FleetCheck batch TRUTH.tsv VERDICTS.jsonl | FleetCheck report TRUTH.tsv fleet-report.md");
            System.exit(2);
        }
        List<Truth> truth = FleetCaptureGenerator.readTruth(Path.of(args[1]));
        boolean ok = args[0].equals("batch") ? batch(truth, Path.of(args[2])) : report(truth, Path.of(args[2]));
        System.exit(ok ? 0 : 1);
    }

    /** Codes per capture name (the JSON report's "capture": the folder's name) and each capture's worst severity. */
    static boolean batch(List<Truth> truth, Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<String>> codes = new HashMap<>();
        Map<String, String> hostOf = new HashMap<>(), lastOf = new HashMap<>(), lastDay = new HashMap<>();
        Set<String> alarmed = new HashSet<>();
        long lines = 0, unusable = 0;
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                lines++;
                JsonNode n = json.readTree(line);
                String capture = n.path("capture").asText();
                if (!n.has("verdicts")) unusable++;
                Set<String> c = new LinkedHashSet<>();
                for (JsonNode v : n.path("verdicts")) {
                    c.add(v.path("code").asText());
                    String sev = v.path("severity").asText();
                    if (sev.equals("warning") || sev.equals("critical")) alarmed.add(capture);
                }
                codes.put(capture, c);
                // host-0001-20261110: the host is the name less its date; keep each host's latest capture
                int dash = capture.lastIndexOf('-');
                if (dash > 0 && capture.startsWith("host-")) {
                    String host = capture.substring(0, dash), day = capture.substring(dash + 1);
                    hostOf.put(capture, host);
                    if (day.compareTo(lastDay.getOrDefault(host, "")) > 0) {
                        lastDay.put(host, day);
                        lastOf.put(host, capture);
                    }
                }
            }
        }
        boolean ok = true;
        int found = 0;
        Map<Kind, int[]> byKind = new HashMap<>();
        Set<String> leaking = new HashSet<>();
        for (Truth t : truth) {
            leaking.add(t.host());
            int[] k = byKind.computeIfAbsent(t.kind(), x -> new int[2]);
            k[1]++;
            Set<String> c = codes.get(t.lastCapture());
            if (c == null) {
                System.out.println("- MISS: " + t.lastCapture() + " is not in " + jsonl);
                ok = false;
            } else if (c.contains(t.kind().code)) {
                found++;
                k[0]++;
            } else {
                System.out.println("- MISS: " + t.lastCapture() + " (" + t.template() + ", " + t.kind().label() + " " + t.subject() + ") has "
                        + (c.isEmpty() ? "no verdict" : String.join(", ", c)) + ", not " + t.kind().code);
                ok = false;
            }
        }
        int healthy = 0, falseAlarms = 0;
        for (var e : lastOf.entrySet()) {
            if (leaking.contains(e.getKey())) continue;
            healthy++;
            if (alarmed.contains(e.getValue())) falseAlarms++;
        }
        StringBuilder kinds = new StringBuilder();
        for (Kind k : Kind.values()) {
            int[] n = byKind.get(k);
            if (n != null) kinds.append(kinds.length() == 0 ? "" : ", ").append(k.label()).append(' ').append(n[0]).append('/').append(n[1]);
        }
        System.out.printf(Locale.ROOT, "- %s: batch found %d of %d leaking hosts by their last capture's verdict code (%s); "
                        + "%d of %d other hosts' last captures have a warning or critical verdict; %d JSON lines, %d without verdicts%n",
                ok ? "ok" : "FAILED", found, truth.size(), kinds, falseAlarms, healthy, lines, unusable);
        return ok;
    }

    /** Names the fleet report must hold, and its "run out soonest" hosts against the truth. */
    static boolean report(List<Truth> truth, Path md) throws IOException {
        // the report escapes Markdown punctuation in what the tables hold (acme\_nic\_alloc...): read it as text
        String text = Files.readString(md, StandardCharsets.UTF_8).replaceAll("\\\\([\\\\`*_\\[\\]|#!~])", "$1");
        boolean ok = true;
        Set<String> subjects = new LinkedHashSet<>();
        for (Truth t : truth) if (t.kind() != Kind.UNACCOUNTED) subjects.add(t.kind().label() + "\t" + t.subject());
        int named = 0;
        for (String s : subjects) {
            String name = s.substring(s.indexOf('\t') + 1);
            // the report may print a caller without its offset and module, as "acme_fs_grow_cache"
            String bare = name.replaceAll("\\+0x.*$", "");
            if (text.contains(name) || text.contains(bare)) named++;
            else {
                System.out.println("- MISS: the fleet report does not name the growing " + s.replace('\t', ' '));
                ok = false;
            }
        }
        // the hosts of the "run out" section: table rows after its heading, first cell
        List<String> listed = new ArrayList<>();
        int at = text.indexOf("## Hosts whose memory will run out soonest");
        if (at >= 0) {
            int end = text.indexOf("\n## ", at + 1);
            for (String line : text.substring(at, end < 0 ? text.length() : end).split("\n")) {
                if (!line.startsWith("| host-") && !line.startsWith("| vmcore-")) continue;
                listed.add(line.substring(2, line.indexOf(' ', 2)));
            }
        }
        Set<String> leaking = new HashSet<>();
        for (Truth t : truth) leaking.add(t.host());
        long right = listed.stream().filter(leaking::contains).count();
        int want = Math.min(listed.size(), truth.size());
        // the section's rows are ordered by days left: its first rows must be the leaking hosts
        long topRight = listed.subList(0, want).stream().filter(leaking::contains).count();
        if (at < 0 || listed.isEmpty() || topRight < want) ok = false;
        System.out.printf(Locale.ROOT, "- %s: fleet report names %d of %d growing caches/callers; lists %d hosts running out, %d of them leaking "
                + "(first %d: %d leaking)%n", ok ? "ok" : "FAILED", named, subjects.size(), listed.size(), right, want, topRight);
        return ok;
    }
}
