package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.facts.Provenance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generic reader: each line is tried against the spec's rules in order; the first whose
 * regular expression matches emits its fact (fields are templates over the named groups,
 * {@code ${var.X}} section variables a rule {@code set}, and {@code ${command.arg}},
 * {@code ${command.options}}, {@code ${command}}); {@code when: VAR} applies a rule only while
 * a section variable is set (e.g. after a header). Lines that match {@code ignore} are
 * dropped quietly; others are counted as skipped, unless {@code unmatched: ignore} (for
 * logs, where most lines are rightly of no interest). {@code summary} emits one fact at the
 * end ({@code ${matched}} = facts emitted), e.g. a search run with zero hits.
 *
 * <p>Three opt-in options serve formats whose lines carry several values or a variable prefix:
 * {@code prefix} (spec level) is a regex matched at the start of each line and cut off before
 * the rules see it (a log's syslog/journal/printk prefix), its named groups filling any group a
 * rule leaves empty (so {@code ${time}} comes from the prefix); {@code each} (rule level) emits
 * one fact per match of a second regex within the line, its groups added to the rule's (a
 * "key:value key:value" line); {@code continue: true} (rule level) lets the following rules
 * try the same line too, so one line can give two facts; {@code skip: true} (rule level) reports
 * the line as not understood even under {@code unmatched: ignore} (a table row cut short);
 * {@code diagnostic: "text"} (rule level) reports the line to the user as a warning (a tool's own
 * error message, e.g. slabtop's "fopen /proc/slabinfo: Permission denied" in a container).
 * {@code wrapped: REGEX} (spec level) reads records a mail client cut in two or three lines: a line
 * no rule takes that matches REGEX (the start of a record) is held and joined with the next line,
 * and the joined text is read, cited to both lines.
 */
final class LinesReader implements SectionReader {
    record Rule(Pattern match, String literal, String when, String fact, Map<String, String> fields, Map<String, String> set, List<String> groups,
                Pattern each, List<String> eachGroups, boolean cont, boolean skip, String diagnostic) {}

    record Compiled(List<Rule> rules, List<Pattern> ignore, boolean skipUnmatched, String summaryFact, Map<String, String> summaryFields,
                    Pattern filePattern, Pattern pathPattern, Pattern prefix, List<String> prefixGroups, Pattern wrap) {}

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");
    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final Section section;
    private final Sink sink;
    private final Compiled c;
    private final Map<String, String> vars = new HashMap<>();
    private int matched;
    private long first = -1;

    LinesReader(Section section, Sink sink, Compiled compiled) {
        this.section = section;
        this.sink = sink;
        this.c = compiled;
        // file_pattern: named groups of a regex over the file's base name become section variables
        // (223.vm_manager.smaps_rollup gives pid 223, comm vm_manager)
        if (c.filePattern() != null) {
            String base = section.file().substring(section.file().lastIndexOf('/') + 1);
            Matcher m = c.filePattern().matcher(base);
            if (m.find()) for (String g : groupNames(c.filePattern().pattern())) if (m.group(g) != null) vars.put(g, m.group(g));
        }
        // path_pattern: the same over the whole path in the capture (sys/devices/system/node/node1/vmstat gives node 1)
        if (c.pathPattern() != null) {
            Matcher m = c.pathPattern().matcher(section.file());
            if (m.find()) for (String g : groupNames(c.pathPattern().pattern())) if (m.group(g) != null) vars.put(g, m.group(g));
        }
    }

    private static List<String> groupNames(String re) {
        List<String> groups = new ArrayList<>();
        Matcher gm = GROUP_NAME.matcher(re);
        while (gm.find()) groups.add(gm.group(1));
        return groups;
    }

    static Compiled compile(ExtractorSpec spec) throws IOException {
        JsonNode o = spec.options();
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : o.path("rules")) {
            String re = r.path("match").asText("");
            Pattern p;
            try {
                p = Pattern.compile(re);
            } catch (RuntimeException e) {
                throw new IOException(spec.origin() + ": bad regex '" + re + "': " + e.getMessage());
            }
            String fact = r.path("fact").asText("");
            if (!fact.isEmpty() && !FactFactory.TYPES.contains(fact))
                throw new IOException(spec.origin() + ": unknown fact type " + fact + " (known: " + FactFactory.TYPES + ")");
            List<String> groups = groupNames(re);
            Pattern each = r.hasNonNull("each") ? regex(spec, r.get("each").asText()) : null;
            rules.add(new Rule(p, RequiredLiteral.of(re), r.path("when").asText(""), fact, map(r.path("fields")), map(r.path("set")), groups,
                    each, each == null ? List.of() : groupNames(each.pattern()), r.path("continue").asBoolean(false),
                    r.path("skip").asBoolean(false), r.path("diagnostic").asText("")));
        }
        List<Pattern> ignore = new ArrayList<>();
        for (JsonNode i : o.path("ignore")) ignore.add(Pattern.compile(i.asText()));
        JsonNode s = o.path("summary");
        Pattern filePattern = o.hasNonNull("file_pattern") ? Pattern.compile(o.get("file_pattern").asText()) : null;
        Pattern pathPattern = o.hasNonNull("path_pattern") ? regex(spec, o.get("path_pattern").asText()) : null;
        Pattern prefix = o.hasNonNull("prefix") ? regex(spec, o.get("prefix").asText()) : null;
        Pattern wrap = o.hasNonNull("wrapped") ? regex(spec, o.get("wrapped").asText()) : null;
        return new Compiled(rules, ignore, !"ignore".equals(o.path("unmatched").asText("skip")),
                s.path("fact").asText(""), map(s.path("fields")), filePattern, pathPattern, prefix, prefix == null ? List.of() : groupNames(prefix.pattern()), wrap);
    }

    private static Pattern regex(ExtractorSpec spec, String re) throws IOException {
        try {
            return Pattern.compile(re);
        } catch (RuntimeException e) {
            throw new IOException(spec.origin() + ": bad regex '" + re + "': " + e.getMessage());
        }
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private long lastNonBlank = -1;

    /** The parts of a record a mail client cut ({@code wrapped:}), waiting for the rest: line numbers and texts. */
    private final List<Long> pendingNos = new ArrayList<>();
    private final List<String> pendingTexts = new ArrayList<>();

    @Override public void line(long lineNo, String original) {
        if (first < 0) first = lineNo;
        if (!original.isBlank()) lastNonBlank = lineNo;
        if (!pendingNos.isEmpty()) {
            // a continuation is a line that is no record, nor the start of one, on its own
            if (!original.isBlank() && !startsRecord(original)) {
                String joined = String.join(" ", pendingTexts).strip() + " " + original.strip();
                int r = process(pendingNos.get(0), lineNo, joined, true);
                if (r == TAKEN) {
                    pendingNos.clear();
                    pendingTexts.clear();
                    return;
                }
                if (r == MORE && pendingNos.size() < 3) {
                    pendingNos.add(lineNo);
                    pendingTexts.add(original);
                    return;
                }
            }
            flushPending();
        }
        process(lineNo, lineNo, original, false);
    }

    @Override public boolean accepts(String original) {
        if (original.isBlank() || !c.skipUnmatched()) return true;
        String text = original;
        if (c.prefix() != null) {
            Matcher pm = c.prefix().matcher(original);
            if (pm.lookingAt()) text = original.substring(pm.end());
        }
        for (Rule r : c.rules()) {
            if (r.literal() != null && text.indexOf(r.literal()) < 0) continue; // cannot match
            if (r.match().matcher(text).find()) return true;
        }
        for (Pattern p : c.ignore()) if (p.matcher(text).find()) return true;
        return c.wrap() != null && c.wrap().matcher(text).find();
    }

    private void flushPending() {
        for (int i = 0; i < pendingNos.size(); i++)
            if (c.skipUnmatched()) sink.skipped(section.file(), pendingNos.get(i), pendingTexts.get(i));
        pendingNos.clear();
        pendingTexts.clear();
    }

    private boolean startsRecord(String text) {
        if (c.wrap().matcher(text).find()) return true;
        for (Rule r : c.rules()) if (r.match().matcher(text).find()) return true;
        return false;
    }

    private static final int NOT_TAKEN = 0, TAKEN = 1, MORE = 2;

    /**
     * Reads one record, which is line {@code from} or, for a record wrapped by a mail client,
     * lines {@code from..lineNo} joined with a space. Returns TAKEN when a rule or an ignore
     * pattern took it; MORE when it is the start of a wrapped record ({@code wrapped:}): a single
     * line is then held, a joined one left to the caller; else NOT_TAKEN (a single line is then
     * reported as skipped, a joined one left to the caller).
     */
    private int process(long from, long lineNo, String original, boolean joining) {
        String text = original;
        Map<String, String> prefixGroups = Map.of();
        if (c.prefix() != null) {
            Matcher pm = c.prefix().matcher(original);
            if (pm.lookingAt()) {
                prefixGroups = new HashMap<>();
                for (String g : c.prefixGroups()) if (pm.group(g) != null) prefixGroups.put(g, pm.group(g));
                text = original.substring(pm.end());
            }
        }
        boolean any = false;
        for (Rule r : c.rules()) {
            if (!r.when().isEmpty() && vars.getOrDefault(r.when(), "").isEmpty()) continue;
            if (r.literal() != null && text.indexOf(r.literal()) < 0) continue; // cannot match: skip the regex
            Matcher m = r.match().matcher(text);
            if (!m.find()) continue;
            any = true;
            Map<String, String> groups = new HashMap<>(prefixGroups);
            for (String g : r.groups()) if (m.group(g) != null || !groups.containsKey(g)) groups.put(g, m.group(g));
            r.set().forEach((k, v) -> vars.put(k, fill(v, groups)));
            if (r.skip()) {
                sink.skipped(section.file(), from, original);
                return TAKEN;
            }
            if (!r.diagnostic().isEmpty()) sink.diagnostic(section.file(), from, "warning", fill(r.diagnostic(), groups));
            if (!r.fact().isEmpty()) {
                if (r.each() == null) emit(r.fact(), r.fields(), groups, from, lineNo);
                else {
                    Matcher e = r.each().matcher(text);
                    while (e.find()) {
                        Map<String, String> g2 = new HashMap<>(groups);
                        for (String g : r.eachGroups()) if (e.group(g) != null || !g2.containsKey(g)) g2.put(g, e.group(g));
                        emit(r.fact(), r.fields(), g2, from, lineNo);
                    }
                }
            }
            if (!r.cont()) return TAKEN;
        }
        if (any) return TAKEN;
        if (!joining) for (Pattern p : c.ignore()) if (p.matcher(text).find()) return TAKEN;
        if (c.wrap() != null && !text.isBlank() && c.wrap().matcher(text).find()) {
            if (!joining) {
                pendingNos.add(from);
                pendingTexts.add(original);
            }
            return MORE;
        }
        if (!joining && c.skipUnmatched() && !text.isBlank()) sink.skipped(section.file(), from, original);
        return NOT_TAKEN;
    }

    private void emit(String fact, Map<String, String> fields, Map<String, String> groups, long from, long to) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((k, v) -> values.put(k, fill(v, groups)));
        // context: what the lines are about beyond file and line (per-node meminfo: "node 0"), kept as the provenance's command
        String context = values.remove("context");
        Provenance where = section.span(from, to);
        if (context != null && !context.isBlank())
            where = new Provenance(where.file(), from, to, where.host(), where.snapshot(), context.strip());
        try {
            sink.fact(FactFactory.create(fact, values, where));
            matched++;
        } catch (FactFactory.ImpossibleValue e) {
            sink.diagnostic(section.file(), from, "error", section.spec().id() + ": impossible value, " + fact + " not used: " + e.getMessage());
        } catch (RuntimeException e) {
            sink.diagnostic(section.file(), from, "error", section.spec().id() + ": cannot read " + fact + ": " + dev.leakdx.capture.Failure.reason(e));
        }
    }

    private String fill(String template, Map<String, String> groups) {
        Matcher m = VAR.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String k = m.group(1);
            String v;
            if (k.startsWith("var.")) v = vars.getOrDefault(k.substring(4), "");
            // a named group of the rule wins over a built-in of the same name: (?<file>...) in the OOM
            // kill line is the file-rss, not the capture file
            else if (groups.containsKey(k)) v = groups.get(k);
            else if (k.equals("command")) v = section.baseCommand();
            else if (k.equals("command.arg")) v = section.arguments().isEmpty() ? "" : section.arguments().get(section.arguments().size() - 1);
            else if (k.equals("command.options")) v = section.options();
            else if (k.equals("matched")) v = Integer.toString(matched);
            else if (k.equals("file")) v = section.file();
            else v = groups.getOrDefault(k, "");
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    @Override public void end(long lastLine) {
        flushPending();
        if (!c.summaryFact().isEmpty()) {
            // a summary is about the command: cite its prompt line through the last line it printed
            long from = section.firstLine() > 1 && !section.command().isEmpty() ? section.firstLine() - 1 : Math.max(1, section.firstLine());
            emit(c.summaryFact(), c.summaryFields(), Map.of(), from, Math.max(from, lastNonBlank));
        }
    }
}
