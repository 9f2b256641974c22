package dev.leakdx.explain;

import dev.leakdx.engine.BudgetEntry;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.RuleInfo;
import dev.leakdx.engine.TraceRecorder;
import dev.leakdx.extract.Diagnostic;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the engine's conclusions into a ranked, explained report. Hypotheses about the same
 * subject compete: each one's confidence is the logistic of its prior plus the weights of
 * the evidence for it, minus those against. The best (if at least even odds) is a verdict; a
 * close runner-up stays a verdict so the reader sees the ambiguity and the capture that
 * decides; the rest are "considered", with what refuted them.
 */
public final class Explainer {
    /** A runner-up this close to the winner is shown as a verdict too: the captures cannot decide. */
    static final double CLOSE = 0.15;
    static final int MAX_DEPTH = 12;

    private final Diagnoser.Result r;
    private final String tool;

    public Explainer(Diagnoser.Result result, String tool) {
        this.r = result;
        this.tool = tool;
    }

    public Report explain() {
        List<Hypothesis> hyps = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        List<NextCapture> next = new ArrayList<>();
        List<BudgetEntry> budget = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (Object o : r.conclusions()) {
            if (o instanceof Hypothesis h) hyps.add(h);
            else if (o instanceof Evidence e) evidence.add(e);
            else if (o instanceof NextCapture n) next.add(n);
            else if (o instanceof BudgetEntry b) budget.add(b);
            else if (o instanceof Finding f) findings.add(f);
        }

        Map<String, List<Scored>> bySubject = new LinkedHashMap<>();
        for (Hypothesis h : hyps) {
            double score = h.prior();
            List<Evidence> mine = onePerRule(evidence.stream().filter(e -> e.isAbout(h)).toList());
            for (Evidence e : mine) score += e.supports() ? e.weight() : -e.weight();
            double conf = Math.round(1000.0 / (1 + Math.exp(-score))) / 1000.0;
            bySubject.computeIfAbsent(h.subject(), k -> new ArrayList<>()).add(new Scored(h, conf, mine));
        }
        List<Report.Verdict> verdicts = new ArrayList<>(), considered = new ArrayList<>();
        for (List<Scored> group : bySubject.values()) {
            group.sort(Comparator.comparingDouble((Scored s) -> -s.conf).thenComparing(s -> s.h.code()));
            Scored top = group.get(0);
            for (Scored s : group) {
                boolean winner = s == top && s.conf >= 0.5;
                boolean close = s != top && s.conf >= 0.5 && top.conf - s.conf <= CLOSE;
                String outranked = s == top ? "" : top.h.code();
                Report.Verdict v = verdict(s, next, outranked);
                if (winner || close) verdicts.add(v);
                else considered.add(setAside(v));
            }
        }
        Comparator<Report.Verdict> order = Comparator.comparingInt((Report.Verdict v) -> severityRank(v.severity()))
                .thenComparingDouble(v -> -v.confidence()).thenComparingLong(v -> -v.bytes());
        verdicts.sort(order);
        considered.sort(Comparator.comparingDouble((Report.Verdict v) -> -v.confidence()));

        // Nothing read is not "no leak": a triage pipeline must not file an unreadable capture as healthy.
        // ... and a file whose format was recognised but that gave no value (slabtop's "Permission denied") is not readable either
        boolean nothingRead = r.facts().stream().allMatch(f -> f instanceof dev.leakdx.facts.CommandRun || f.provenance().isDerived());
        int exit = nothingRead ? 2 : verdicts.stream().anyMatch(v -> !v.severity().equals("info")) ? 1 : 0;
        return new Report(Report.SCHEMA, tool, r.capture(), host(), budget(budget), verdicts, considered,
                findings.stream().map(this::finding).toList(), diagnostics(), exit);
    }

    /** A hypothesis set aside is no conclusion: it carries no severity ("none"), so no consumer files it as critical. */
    static Report.Verdict setAside(Report.Verdict v) {
        return new Report.Verdict(v.code(), v.title(), "none", v.confidence(), v.bytes(), v.pages(), v.subject(), v.summary(), v.rule(),
                v.basis(), v.evidence(), v.against(), v.next(), v.outrankedBy(), v.explanation());
    }

    private record Scored(Hypothesis h, double conf, List<Evidence> evidence) {}

    /**
     * One observation seen several times (three search hits that each show a struct page
     * pointer) is one piece of evidence: a rule counts once per hypothesis, at its highest
     * weight; the repeats still contribute their citations.
     */
    private List<Evidence> onePerRule(List<Evidence> all) {
        Map<String, Evidence> best = new LinkedHashMap<>();
        for (Evidence e : all) {
            String key = ruleOf(e) + "|" + e.supports();
            Evidence b = best.get(key);
            if (b == null || e.weight() > b.weight()) best.put(key, e);
            repeats.computeIfAbsent(best.get(key), k -> new ArrayList<>());
            if (best.get(key) != e) repeats.get(best.get(key)).add(e);
        }
        return new ArrayList<>(best.values());
    }

    private final Map<Evidence, List<Evidence>> repeats = new IdentityHashMap<>();

    static int severityRank(String s) {
        return switch (s) { case "critical" -> 0; case "warning" -> 1; default -> 2; };
    }

    private Report.Verdict verdict(Scored s, List<NextCapture> next, String outrankedBy) {
        Hypothesis h = s.h;
        List<Report.EvidenceItem> pro = new ArrayList<>(), con = new ArrayList<>();
        List<Evidence> sorted = new ArrayList<>(s.evidence);
        sorted.sort(Comparator.comparingDouble(e -> -e.weight()));
        for (Evidence e : sorted) {
            List<Report.Cite> cites = new ArrayList<>(cites(e));
            List<Evidence> more = repeats.getOrDefault(e, List.of());
            for (Evidence m : more) for (Report.Cite c : cites(m)) if (!cites.contains(c)) cites.add(c);
            String text = more.isEmpty() ? e.text() : e.text() + " (seen " + (more.size() + 1) + " times)";
            (e.supports() ? pro : con).add(new Report.EvidenceItem(text, e.weight(), ruleOf(e), cites));
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Report.Next> nx = new ArrayList<>();
        for (NextCapture n : next) {
            boolean mine = n.hypothesis().equals(h.code()) && (n.subject().isEmpty() || n.subject().equals(h.subject()));
            if (mine && !alreadyRun(n.command()) && seen.add(n.command())) nx.add(new Report.Next(n.command(), n.why(), n.where(), NextCapture.placeholders(n.command())));
        }
        return new Report.Verdict(h.code(), h.title(), h.severity(), s.conf, h.bytes(), h.pages(), h.subject(), h.summary(),
                ruleOf(h), cites(h), pro, con, nx, outrankedBy, tree(h, s.evidence));
    }

    /**
     * A suggested crash command the capture already holds is not worth asking for again, even
     * written differently: "x/8xg ffff..." is answered by "x/20xg 0xffff...", "kmem -v" by
     * "kmem -v | grep ffff...".
     */
    private boolean alreadyRun(String command) {
        String want = normalised(command);
        for (Fact f : r.facts()) if (f instanceof CommandRun c && !c.command().isEmpty() && normalised(c.command()).equals(want)) return true;
        return false;
    }

    static String normalised(String command) {
        String base = dev.leakdx.extract.Section.baseOf(command).toLowerCase(java.util.Locale.ROOT);
        base = base.replaceAll("^x/\\d*", "x/").replaceAll("\\b0x([0-9a-f])", "$1").replaceAll("\\s+", " ");
        return base.strip();
    }

    private String ruleOf(Object conclusion) {
        TraceRecorder.Derivation d = r.trace().derivation(conclusion);
        return d == null ? "" : d.rule();
    }

    /** Input facts behind a conclusion, followed through intermediate findings. */
    private List<Report.Cite> cites(Object conclusion) {
        List<Report.Cite> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        collect(conclusion, out, seen, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        // the lines that prove the point first; host settings (page size) are context and go last
        out.sort(Comparator.comparingInt(c -> hostLike(c) ? 1 : 0));
        return out;
    }

    private static boolean hostLike(Report.Cite c) {
        return c.fact().startsWith("page_size = ") || c.fact().startsWith("ram_bytes = ") || c.fact().startsWith("arch = ")
                || c.fact().startsWith("struct_page_size = ") || c.fact().startsWith("norm "); // norms: what the figures were judged against
    }

    private void collect(Object o, List<Report.Cite> out, Set<String> seen, Set<Object> visited, int depth) {
        if (o == null || !visited.add(o) || depth > MAX_DEPTH) return;
        if (o instanceof Fact f) {
            if (f instanceof CommandRun) return; // "this command was run" is context, not evidence worth citing
            if (f instanceof dev.leakdx.facts.Aggregate a) { // a trend: cite the line of every snapshot it was summed from
                for (Fact p : a.parts()) collect(p, out, seen, visited, depth + 1);
                return;
            }
            Report.Cite c = cite(f);
            if (seen.add(c.cite() + "|" + c.fact())) out.add(c);
            return;
        }
        TraceRecorder.Derivation d = r.trace().derivation(o);
        if (d == null) return;
        for (Object p : d.premises()) if (!(p instanceof Hypothesis)) collect(p, out, seen, visited, depth + 1);
    }

    static Report.Cite cite(Fact f) {
        var p = f.provenance();
        return new Report.Cite(p.cite(), p.file(), p.firstLine(), p.lastLine(), f.describe(), p.context());
    }

    private Report.Node tree(Hypothesis h, List<Evidence> evidence) {
        Report.Node base = node(h, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        List<Report.Node> children = new ArrayList<>(base.children());
        for (Evidence e : evidence) children.add(node(e, Collections.newSetFromMap(new IdentityHashMap<>()), 1));
        return new Report.Node(base.kind(), base.text(), base.rule(), base.doc(), base.cite(), children);
    }

    private Report.Node node(Object o, Set<Object> visited, int depth) {
        if (o instanceof dev.leakdx.facts.Aggregate a) {
            List<Report.Node> parts = new ArrayList<>();
            for (Fact p : a.parts()) parts.add(new Report.Node("fact", p.describe(), "", "", p.provenance().cite(), List.of()));
            return new Report.Node("fact", a.describe(), "", "", "", parts);
        }
        if (o instanceof Fact f) {
            return new Report.Node("fact", f.describe(), "", "", f.provenance().cite(), List.of());
        }
        String text = label(o);
        TraceRecorder.Derivation d = r.trace().derivation(o);
        if (d == null || !visited.add(o) || depth > MAX_DEPTH)
            return new Report.Node(kind(o), text, "", "", "", List.of());
        List<Report.Node> kids = new ArrayList<>();
        Set<Object> shown = Collections.newSetFromMap(new IdentityHashMap<>()); // a fact bound twice (pattern + collectList) shows once
        for (TraceRecorder.Binding b : d.bindings()) {
            Object v = b.value();
            if (v instanceof java.util.Collection<?> c) {
                int n = 0;
                for (Object x : c) {
                    if (!TraceRecorder.isObject(x) || !shown.add(x)) continue;
                    if (n++ == 8) { kids.add(new Report.Node("value", "... " + (c.size() - 8) + " more", "", "", "", List.of())); break; }
                    kids.add(node(x, visited, depth + 1));
                }
            } else if (TraceRecorder.isObject(v)) {
                if (v instanceof Hypothesis && depth > 0) continue; // evidence points back at its hypothesis
                if (!shown.add(v)) continue;
                kids.add(node(v, visited, depth + 1));
            } else if (v != null && !b.id().equals("_")) {
                kids.add(new Report.Node("value", b.id() + " = " + value(v), "", "", "", List.of()));
            }
        }
        RuleInfo info = r.kb().rule(d.rule());
        return new Report.Node(kind(o), text, d.rule(), info == null ? "" : info.doc(), "", kids);
    }

    private static String value(Object v) {
        // kernel addresses are negative as signed longs, or huge: show them the way crash does
        if (v instanceof Long l && (l < -0xffffL || l > 0xffffffffffL)) return Long.toHexString(l);
        if (v instanceof Long l && Math.abs(l) > 4096) return Units.count(l);
        if (v instanceof Double d) return String.format(java.util.Locale.ROOT, "%.4g", d);
        return String.valueOf(v);
    }

    private static String kind(Object o) {
        if (o instanceof Hypothesis) return "hypothesis";
        if (o instanceof Evidence e) return e.supports() ? "evidence" : "against";
        if (o instanceof Finding) return "finding";
        if (o instanceof BudgetEntry) return "budget";
        if (o instanceof NextCapture) return "next";
        return "finding"; // any other drawn conclusion (a page population, a delta, unmapped THPs)
    }

    private static String label(Object o) {
        if (o instanceof Hypothesis h) return h.code() + ": " + h.summary();
        if (o instanceof Evidence e) return (e.supports() ? "for " : "against ") + e.hypothesis() + " (weight " + e.weight() + "): " + e.text();
        if (o instanceof Finding f) return f.code() + ": " + f.summary();
        if (o instanceof BudgetEntry b) return b.basis() + " " + b.label() + " = " + Units.bytes(b.bytes());
        return String.valueOf(o);
    }

    private Report.FindingView finding(Finding f) {
        return new Report.FindingView(f.code(), f.subject(), f.bytes(), f.summary(), ruleOf(f), cites(f));
    }

    /** The order a reader wants host properties in; others follow alphabetically. */
    private static final List<String> HOST_ORDER = List.of("arch", "page_size", "kernel_release", "ram_bytes", "struct_page_size", "mem_map_base");

    private Map<String, Report.HostValue> host() {
        List<HostFact> hs = new ArrayList<>();
        for (Fact f : r.facts()) if (f instanceof HostFact h && h.provenance().host().isEmpty()) hs.add(h);
        hs.sort(Comparator.comparingInt((HostFact h) -> HOST_ORDER.contains(h.key()) ? HOST_ORDER.indexOf(h.key()) : HOST_ORDER.size())
                .thenComparing(HostFact::key));
        Map<String, Report.HostValue> out = new LinkedHashMap<>();
        for (HostFact h : hs) out.put(h.key(), new Report.HostValue(h.value(), h.how(), h.provenance().cite()));
        return out;
    }

    private List<Report.BudgetLine> budget(List<BudgetEntry> entries) {
        long total = entries.stream().filter(b -> b.kind().equals("total")).mapToLong(BudgetEntry::bytes).findFirst().orElse(0);
        List<BudgetEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(BudgetEntry::basis).thenComparingInt(BudgetEntry::order));
        List<Report.BudgetLine> out = new ArrayList<>();
        for (BudgetEntry b : sorted) {
            List<Report.Cite> c = cites(b);
            out.add(new Report.BudgetLine(b.basis(), b.key(), b.label(), b.bytes(), b.kind(),
                    total > 0 ? Math.round(10000.0 * b.bytes() / total) / 10000.0 : 0, c.isEmpty() ? "" : c.get(0).cite()));
        }
        return out;
    }

    private Report.Diagnostics diagnostics() {
        Sink s = r.sink();
        List<Report.FileView> files = new ArrayList<>();
        s.fileStats().forEach((name, st) -> files.add(new Report.FileView(name, st.format.isEmpty() ? "unknown" : st.format,
                st.lines, st.skipped, st.diagnostics)));
        List<String> messages = new ArrayList<>();
        for (Diagnostic d : s.diagnostics()) messages.add(d.toString());
        List<Report.Section> unknown = new ArrayList<>();
        for (Fact f : r.facts())
            if (f instanceof CommandRun c && c.format().equals("unknown"))
                unknown.add(new Report.Section(c.provenance().cite(), c.command(), c.lines()));
        List<Report.Missing> missing = s.missing().stream().map(m -> new Report.Missing(m.input(), m.hint())).toList();
        return new Report.Diagnostics(files, messages, unknown, missing);
    }
}
