package dev.leakdx.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.leakdx.explain.Report;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.OomTask;
import dev.leakdx.facts.OomTrigger;
import dev.leakdx.facts.ProcessMemory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code diagnose --redact}: a report that can be pasted into a public bug tracker. Host names,
 * process names (comm), user names in home paths and kernel virtual addresses are replaced by
 * stable placeholders ({@code host-1}, {@code proc-1}, {@code user-1}, {@code addr-1}: the same
 * original gets the same placeholder everywhere in one report). Figures, kernel symbols (call
 * trace function names and their +0x offsets), physical addresses and file:line citations stay,
 * because they are what a reader needs and identify nobody.
 *
 * <p>It transforms the {@link Report} model, not rendered text, so every format (text, md,
 * json, html) is redacted by construction and no renderer's escaping can split a name. The
 * names to hide are learnt from the facts (OOM reports, process tables, twin-host labels) and
 * from the report's own wording (e.g. {@code Comm: x}, {@code pid N (x)}), then replaced in
 * one pass of one pattern, so a placeholder is never itself rewritten.
 */
public final class Redaction {
    /** Kernel virtual addresses on 64-bit kernels (direct map, vmalloc, vmemmap, text): 16 hex digits from ffff. */
    private static final String ADDRESS = "(?<![0-9A-Za-z_])(?:0x)?(ffff[0-9a-f]{12})(?![0-9A-Za-z_])";
    private static final Pattern HOME = Pattern.compile("(?<=/home/|/Users/)([^/\\s\"'<>]+)");
    private static final List<Pattern> PROC_WORDING = List.of(
            Pattern.compile("Comm: (\\S+)"),
            Pattern.compile("(?:[Pp]rocess|pid|task) \\d+ \\(([^)\\n]{1,64})\\)"),
            Pattern.compile("(?m)(?:^|\\] )(\\S+) invoked oom-killer"));
    private static final List<Pattern> HOST_WORDING = List.of(
            Pattern.compile("NODENAME: (\\S+)"),
            Pattern.compile("(?m)^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d (\\S+) kernel:"));

    private final Map<String, String> kindOf = new HashMap<>();
    private final Map<String, String> placeholder = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private Pattern pattern;

    private Redaction() {}

    /** Learns what to hide from the facts a diagnosis read. */
    public static Redaction of(List<? extends Fact> facts) {
        Redaction r = new Redaction();
        Set<String> files = new java.util.HashSet<>();
        for (Fact f : facts) {
            if (files.add(f.provenance().file())) r.fromPath(f.provenance().file());
            if (!f.provenance().host().isEmpty()) r.name("host", f.provenance().host());
            if (f instanceof OomKill k) r.name("proc", k.comm());
            else if (f instanceof OomTask t) r.name("proc", t.name());
            else if (f instanceof OomTrigger t) r.name("proc", t.process());
            else if (f instanceof ProcessMemory p) r.name("proc", p.comm());
            else if (f instanceof KernelLogEvent e && (e.kind().startsWith("OOM_") || e.kind().equals("ALLOC_FAILURE"))) r.name("proc", e.subject());
            else if (f instanceof HostFact h && h.key().matches("(?i)hostname|nodename|host")) r.name("host", h.value());
        }
        return r;
    }

    /** Archive endings stripped from a capture's file name to get the name it was given. */
    private static final Pattern ARCHIVE = Pattern.compile("(?i)(\\.(tar\\.gz|tgz|tar\\.xz|txz|tar\\.bz2|tar|zip|gz|xz))+$");
    /** sosreport-HOST-DATE or sosreport-HOST-CASE: the host part. */
    private static final Pattern SOSREPORT = Pattern.compile("(?i)^(?:sosreport|insights)-(.+?)(?:-\\d{4}-\\d{2}-\\d{2}.*|-\\d{6,}.*|-[0-9a-f]{6,}.*)?$");

    /**
     * The capture's own name hides too: fleets name bundles after their host
     * ({@code db-prod-07.tar.gz}, {@code sosreport-db-prod-07-2024-03-01.tar.xz}). Its file name,
     * without archive endings, and a sosreport's host part become host names to replace, so
     * neither the report's title, its citations, a batch summary nor an --output-dir file name
     * shows them.
     */
    public Redaction withCapture(java.nio.file.Path capture) {
        if (capture == null || capture.getFileName() == null) return this;
        String stem = ARCHIVE.matcher(capture.getFileName().toString()).replaceAll("");
        if (stem.matches("(?i)proc|crash|capture|live|bundle|\\.|case")) return this; // generic names identify nobody
        name("host", stem);
        Matcher m = SOSREPORT.matcher(stem);
        if (m.matches() && m.group(1) != null) name("host", m.group(1));
        return this;
    }

    /**
     * A sosreport or insights archive keeps its host in its top folder (sosreport-db-prod-07-2024-03-01/)
     * whatever the archive was renamed to; citations show that folder, so its host part is hidden.
     */
    private void fromPath(String file) {
        if (file == null) return;
        for (String part : file.split("[/!]")) {
            String stem = ARCHIVE.matcher(part).replaceAll("");
            Matcher m = SOSREPORT.matcher(stem);
            if (m.matches() && m.group(1) != null) {
                name("host", stem);
                name("host", m.group(1));
            }
        }
    }

    private void name(String kind, String value) {
        if (value == null) return;
        String v = value.strip();
        // numbers are kept (a pid, a size); one-letter names would eat ordinary words
        if (v.length() < 2 || v.matches("[\\d.]+") || v.startsWith("host-") || v.startsWith("proc-")) return;
        kindOf.putIfAbsent(v, kind);
        pattern = null;
    }

    /** The report with every string field redacted; every format renders from it. */
    public Report apply(Report report) {
        ObjectMapper m = new ObjectMapper();
        JsonNode tree = m.valueToTree(report);
        List<String> texts = new ArrayList<>();
        collect(tree, texts);
        for (String t : texts) learn(t);
        JsonNode out = rewrite(tree);
        try {
            return m.treeToValue(out, Report.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("redacted report does not read back: " + e.getMessage(), e);
        }
    }

    /** Names the report's own wording reveals (a comm in a cited kernel line, a node name). */
    private void learn(String t) {
        for (Pattern p : PROC_WORDING) for (Matcher m = p.matcher(t); m.find(); ) name("proc", m.group(1));
        for (Pattern p : HOST_WORDING) for (Matcher m = p.matcher(t); m.find(); ) name("host", m.group(1));
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isTextual()) out.add(n.asText());
        else n.forEach(c -> collect(c, out));
    }

    private JsonNode rewrite(JsonNode n) {
        if (n.isTextual()) return TextNode.valueOf(redact(n.asText()));
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(rewrite(e.getValue()));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, rewrite(a.get(i)));
        }
        return n;
    }

    /** One string redacted with this report's mapping (extended as new originals are met). */
    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        Matcher m = pattern().matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String kind, key;
            if (m.group("addr") != null) { kind = "addr"; key = m.group("addr").toLowerCase(Locale.ROOT); }
            else if (m.group("user") != null) { kind = "user"; key = "user:" + m.group("user"); }
            else { key = m.group("name"); kind = kindOf.getOrDefault(key, "proc"); key = kind + ":" + key; }
            String ph = placeholder.computeIfAbsent(kind.equals("addr") ? "addr:" + key : key,
                    k -> kind + "-" + counters.merge(kind, 1, Integer::sum));
            m.appendReplacement(b, Matcher.quoteReplacement(ph));
        }
        m.appendTail(b);
        return b.toString();
    }

    private Pattern pattern() {
        if (pattern != null) return pattern;
        Set<String> names = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        names.addAll(kindOf.keySet());
        StringBuilder alt = new StringBuilder();
        for (String n : names) alt.append(alt.length() == 0 ? "" : "|").append(Pattern.quote(n));
        String nameGroup = names.isEmpty() ? "(?<name>(?!x)x)" : "(?<![A-Za-z0-9_])(?<name>" + alt + ")(?![A-Za-z0-9_])";
        pattern = Pattern.compile(ADDRESS.replace("(ffff", "(?<addr>ffff") + "|" + HOME.pattern().replace("([^", "(?<user>[^") + "|" + nameGroup,
                Pattern.CASE_INSENSITIVE);
        return pattern;
    }

    /** Every name this redaction hides (host and process names learnt so far), whether or not a report used it. */
    public Set<String> names() { return Set.copyOf(kindOf.keySet()); }

    /** What was replaced by what (original -> placeholder), for tests and for the user's own records. */
    public Map<String, String> mapping() {
        Map<String, String> out = new LinkedHashMap<>();
        placeholder.forEach((k, v) -> out.put(k.substring(k.indexOf(':') + 1), v));
        return out;
    }
}
