package dev.leakdx.authoring;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.engine.RuleInfo;
import dev.leakdx.engine.TraceRecorder;
import dev.leakdx.extract.ResourceFolder;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.rule.Match;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Why a rule did not fire on a capture: its left-hand side is cut into top-level patterns
 * (from the DRL text, see {@link DrlRuleText}) and every prefix "patterns 1..k" becomes a
 * throwaway probe rule compiled next to the real rules, in the target's package (so its
 * functions and imports resolve). One session runs the real rules and the probes over the
 * capture's facts; the probes sit at the lowest salience and are only counted (an agenda filter
 * refuses to fire them), so they see the final working memory, conclusions of other rules
 * included. The first prefix with no match names the pattern that fails; for a plain pattern
 * the same is done constraint by constraint, which names the first constraint no fact passes
 * and the facts that came closest (those that passed the constraints before it).
 */
public final class NearMiss {
    static final String PROBE = "leakdx-probe|";
    private static final String VAR = "$leakdxProbe";
    private static final int SHOWN = 5;
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("@code\\(\\s*\"?([\\w.-]+)\"?\\s*\\)");

    /** The rules to explain, and the probe files to compile beside the real rules. */
    public record Plan(List<DrlRuleText> targets, List<ResourceFolder.Item> probes, boolean constraintProbes) {
        public List<ResourceFolder.Item> withRules(List<ResourceFolder.Item> drls) {
            List<ResourceFolder.Item> all = new ArrayList<>(drls);
            all.addAll(probes);
            return all;
        }
    }

    /** How far one pattern of the rule got. {@code matches} is -1 when an earlier pattern already failed. */
    public record PatternStatus(int index, DrlRuleText.Element element, long matches) {}

    public record Explanation(DrlRuleText rule, RuleInfo info, int firings, List<Object> concluded, List<PatternStatus> patterns,
                              int failing, String failingConstraint, int constraintsBefore, List<Object> closest, long closestTotal) {}

    private NearMiss() {}

    /** Finds the rules whose name or @code is {@code codeOrName}; fails with the known codes when none is. */
    public static Plan plan(List<ResourceFolder.Item> drls, String codeOrName, boolean constraintProbes) {
        List<DrlRuleText> targets = new ArrayList<>();
        Set<String> codes = new java.util.TreeSet<>();
        for (ResourceFolder.Item item : drls) {
            String clean = DrlRuleText.blankComments(item.text());
            for (DrlRuleText r : DrlRuleText.parse(item.origin(), item.text())) {
                String code = codeOf(clean, r);
                if (!code.isEmpty()) codes.add(code);
                if (r.name().equals(codeOrName) || code.equals(codeOrName)) targets.add(r);
            }
        }
        if (targets.isEmpty())
            throw new IllegalArgumentException("no rule has the code or name '" + codeOrName + "'; codes: " + String.join(", ", codes));
        List<ResourceFolder.Item> probes = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) probes.add(probeFile(t, targets.get(t), constraintProbes));
        return new Plan(List.copyOf(targets), probes, constraintProbes);
    }

    /**
     * The rule's @code: read from the header between its name and {@code when}, the keyword at the
     * start of a line as DrlRuleText finds it. A bare search for "when" stopped inside a name such
     * as "MemAvailable falls at a steady rate: when it reaches zero", and MEMAVAILABLE_RUNS_OUT,
     * listed by {@code rules list}, was then unknown to --explain-rule.
     */
    private static String codeOf(String cleanText, DrlRuleText r) {
        int start = 0;
        for (int l = 1; l < r.line() && start >= 0; l++) start = cleanText.indexOf('\n', start) + 1;
        Matcher w = DrlRuleText.WHEN.matcher(cleanText);
        int when = w.find(start) ? w.start() : cleanText.length();
        Matcher m = CODE.matcher(cleanText.substring(start, when));
        return m.find() ? m.group(1) : "";
    }

    private static ResourceFolder.Item probeFile(int t, DrlRuleText r, boolean constraintProbes) {
        StringBuilder b = new StringBuilder();
        if (!r.packageName().isEmpty()) b.append("package ").append(r.packageName()).append(";\n");
        r.imports().forEach(i -> b.append(i).append('\n'));
        List<DrlRuleText.Element> lhs = r.lhs();
        for (int k = 0; k < lhs.size(); k++) {
            List<String> prefix = new ArrayList<>();
            for (int i = 0; i <= k; i++) prefix.add(lhs.get(i).text());
            probeRule(b, t, k, -1, prefix);
            DrlRuleText.Element e = lhs.get(k);
            if (!constraintProbes || !e.isPlainPattern()) continue;
            String var = e.binding().isEmpty() || !e.modifier().isEmpty() ? VAR : e.binding();
            int m = e.constraints().size();
            for (int j = e.modifier().equals("not") ? m : 0; j <= m; j++) {
                List<String> p = new ArrayList<>(prefix.subList(0, k));
                p.add(e.withConstraints(j, var));
                probeRule(b, t, k, j, p);
            }
        }
        return new ResourceFolder.Item("leakdx-probe-" + t + ".drl", "(near-miss probe of rule \"" + r.name() + "\")", b.toString());
    }

    private static void probeRule(StringBuilder b, int t, int k, int j, List<String> lhs) {
        b.append("\nrule \"").append(PROBE).append(t).append('|').append(k).append('|').append(j).append("\"\n    salience -1000000\nwhen\n");
        for (String s : lhs) b.append("    ").append(s).append('\n');
        b.append("then\nend\n");
    }

    /** Runs the real rules and the probes over the facts (the diagnoser must hold the plan's knowledge base). */
    public static List<Explanation> run(Plan plan, Diagnoser d, String name, List<Fact> facts, Sink sink) {
        KnowledgeBase kb = d.knowledgeBase();
        Set<String> targetNames = new java.util.HashSet<>();
        plan.targets().forEach(r -> targetNames.add(r.name()));
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Set<Object>> bound = new HashMap<>();
        AgendaFilter filter = (Match m) -> {
            String rule = m.getRule().getName();
            if (!rule.startsWith(PROBE)) {
                if (targetNames.contains(rule)) counts.computeIfAbsent(rule, x -> new long[1])[0]++;
                return true;
            }
            counts.computeIfAbsent(rule, x -> new long[1])[0]++;
            String[] parts = rule.split("\\|");
            if (!parts[3].equals("-1")) {
                DrlRuleText.Element e = plan.targets().get(Integer.parseInt(parts[1])).lhs().get(Integer.parseInt(parts[2]));
                String var = e.binding().isEmpty() || !e.modifier().isEmpty() ? VAR : e.binding();
                Object v = m.getDeclarationIds().contains(var) ? m.getDeclarationValue(var) : null;
                if (v != null) bound.computeIfAbsent(rule, x -> Collections.newSetFromMap(new IdentityHashMap<>())).add(v);
            }
            return false;
        };
        Diagnoser.Result result = d.reason(name, facts, sink, filter);
        List<Explanation> out = new ArrayList<>();
        for (int t = 0; t < plan.targets().size(); t++) {
            DrlRuleText r = plan.targets().get(t);
            List<Object> concluded = new ArrayList<>();
            for (Object o : result.conclusions()) {
                TraceRecorder.Derivation der = result.trace().derivation(o);
                if (der != null && der.rule().equals(r.name())) concluded.add(o);
            }
            List<PatternStatus> statuses = new ArrayList<>();
            int failing = -1;
            for (int k = 0; k < r.lhs().size(); k++) {
                long n = failing >= 0 ? -1 : count(counts, t, k, -1);
                if (n == 0) failing = k;
                statuses.add(new PatternStatus(k + 1, r.lhs().get(k), n));
            }
            String constraint = "";
            int before = -2; // -2: not analysed constraint by constraint; -1: no fact of the type at all
            List<Object> closest = List.of();
            long closestTotal = 0;
            if (failing >= 0 && plan.constraintProbes() && r.lhs().get(failing).isPlainPattern()) {
                DrlRuleText.Element e = r.lhs().get(failing);
                int m = e.constraints().size();
                if (e.modifier().equals("not")) {
                    Set<Object> s = bound.getOrDefault(probeName(t, failing, m), Set.of());
                    closest = shown(s);
                    closestTotal = s.size();
                } else {
                    int j = 0;
                    while (j <= m && count(counts, t, failing, j) > 0) j++;
                    // j = number of constraints with which nothing matches any more; 0: no fact of the type at all
                    before = j - 1;
                    if (j > 0 && j <= m) {
                        constraint = e.constraints().get(j - 1);
                        Set<Object> s = bound.getOrDefault(probeName(t, failing, j - 1), Set.of());
                        closest = shown(s);
                        closestTotal = s.size();
                    }
                }
            }
            int fired = (int) counts.getOrDefault(r.name(), new long[1])[0];
            out.add(new Explanation(r, kb.rule(r.name()), fired, concluded, statuses, failing, constraint, before, closest, closestTotal));
        }
        return out;
    }

    private static List<Object> shown(Set<Object> s) {
        List<Object> l = new ArrayList<>(s);
        l.sort(java.util.Comparator.comparing(NearMiss::describe));
        return List.copyOf(l.subList(0, Math.min(SHOWN, l.size())));
    }

    private static String probeName(int t, int k, int j) { return PROBE + t + "|" + k + "|" + j; }

    private static long count(Map<String, long[]> counts, int t, int k, int j) {
        long[] c = counts.get(probeName(t, k, j));
        return c == null ? 0 : c[0];
    }

    /** A fact as the report shows it: type, figures, and where it was read. */
    public static String describe(Object o) {
        if (o instanceof Fact f) return f.getClass().getSimpleName() + " " + f.describe() + " [" + f.provenance().cite() + "]";
        return o.getClass().getSimpleName() + " " + o;
    }

    public static String render(List<Explanation> explanations, String capture) {
        StringBuilder b = new StringBuilder();
        for (Explanation x : explanations) {
            DrlRuleText r = x.rule();
            String code = x.info() == null ? "" : x.info().code();
            b.append("rule \"").append(r.name()).append("\"").append(code.isEmpty() ? "" : "  " + code)
                    .append("  [").append(r.file()).append(':').append(r.line()).append("]\n");
            if (x.firings() > 0) {
                b.append(String.format(Locale.ROOT, "  FIRED %d time%s on %s%n", x.firings(), x.firings() == 1 ? "" : "s", capture));
                if (x.concluded().isEmpty()) b.append("  it concluded nothing (its consequence inserted no conclusion)\n");
                else {
                    b.append("  it concluded:\n");
                    for (Object o : x.concluded()) b.append("    ").append(describe(o)).append('\n');
                }
            } else if (x.failing() >= 0) {
                b.append(String.format(Locale.ROOT, "  did NOT fire on %s: pattern %d of %d matched nothing%n", capture, x.failing() + 1, r.lhs().size()));
            } else {
                b.append("  did NOT fire on ").append(capture).append(", yet every pattern matched: another rule retracted a fact, "
                        + "or no-loop / lock-on-active / an agenda group kept it from firing\n");
            }
            for (PatternStatus p : x.patterns()) {
                b.append(String.format(Locale.ROOT, "  pattern %d `%s` [%s:%d]: ", p.index(), abbreviate(p.element().oneLine()), r.file(), p.element().line()));
                if (p.matches() < 0) b.append("not reached\n");
                else if (p.matches() > 0) b.append("matched (").append(p.matches()).append(p.matches() == 1 ? " way" : " ways").append(" so far)\n");
                else {
                    DrlRuleText.Element e = p.element();
                    if (e.modifier().equals("not")) {
                        b.append("a fact the rule forbids is there\n");
                        if (x.closestTotal() > 0) appendFacts(b, "    facts that match the negated pattern", x);
                    } else if (!e.isPlainPattern()) {
                        b.append("no match (with the facts bound by the patterns before it)\n");
                    } else if (x.constraintsBefore() == -1) {
                        b.append("no ").append(e.type()).append(" fact at all").append(p.index() > 1 ? " (with the patterns before it bound)" : "").append('\n');
                    } else if (!x.failingConstraint().isEmpty()) {
                        b.append("no fact matched\n");
                        b.append("    first constraint no fact passes: `").append(x.failingConstraint()).append("`");
                        b.append(x.constraintsBefore() == 0 ? " (the first one)\n" : " (the " + x.constraintsBefore() + " before it hold for "
                                + x.closestTotal() + (x.closestTotal() == 1 ? " fact)\n" : " facts)\n"));
                        if (x.closestTotal() > 0) appendFacts(b, "    closest facts", x);
                    } else {
                        b.append("no fact matched\n");
                    }
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void appendFacts(StringBuilder b, String title, Explanation x) {
        b.append(title).append(x.closestTotal() > x.closest().size() ? " (" + x.closest().size() + " of " + x.closestTotal() + ")" : "").append(":\n");
        for (Object o : x.closest()) {
            b.append("      ").append(describe(o)).append('\n');
            // the probes see the final working memory: a rule that fired is often blocked by what it inserted
            if (x.concluded().stream().anyMatch(c -> c == o)) b.append("        (this rule's own conclusion: it fired, then its `not` closed)\n");
        }
    }

    private static String abbreviate(String s) { return s.length() <= 180 ? s : s.substring(0, 177) + "..."; }

    /** A plan and the knowledge base it compiled into (the real rules plus the probes). */
    public record Built(Plan plan, KnowledgeBase kb) {}

    /**
     * Compiles the rules with the probes, none sharing a join, accumulate or eval node with a real
     * rule (see {@link KnowledgeBase#build(List, boolean)}). Should a constraint-level probe not
     * compile (a constraint that only makes sense with the ones after it), the probes fall back to
     * whole patterns.
     */
    public static Built build(List<ResourceFolder.Item> drls, String codeOrName) throws KnowledgeBase.RuleCompileException {
        Plan plan = plan(drls, codeOrName, true);
        try {
            return new Built(plan, KnowledgeBase.build(plan.withRules(drls), false));
        } catch (KnowledgeBase.RuleCompileException e) {
            // errors in the expert's own files are theirs to fix, reported as such
            if (e.errors().stream().anyMatch(m -> !m.startsWith("(near-miss probe"))) throw e;
            Plan coarse = plan(drls, codeOrName, false);
            return new Built(coarse, KnowledgeBase.build(coarse.withRules(drls), false));
        }
    }
}
