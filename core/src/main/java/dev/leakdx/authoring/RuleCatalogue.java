package dev.leakdx.authoring;

import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.engine.RuleInfo;
import dev.leakdx.extract.ResourceFolder;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule catalogue (knowledge-base-docs/rule-catalogue.md): every rule's code, name, family,
 * file, doc and the fact types its left-hand side matches. The types come from the compiled
 * rule (drools-base's RuleImpl LHS: patterns, and the patterns inside accumulate/collect/from),
 * so a type named only inside {@code collect(...)} is listed too.
 */
public final class RuleCatalogue {
    public static final String COMMAND = "./leakdx rules catalogue -o knowledge-base-docs/rule-catalogue.md";

    private RuleCatalogue() {}

    public record Entry(String code, String name, String family, String file, int line, String doc, List<String> lhsTypes) {}

    public static List<Entry> entries(KnowledgeBase kb, List<ResourceFolder.Item> drls) {
        Map<String, Integer> lines = new java.util.HashMap<>();
        for (ResourceFolder.Item item : drls)
            for (DrlRuleText r : DrlRuleText.parse(item.origin(), item.text())) lines.put(r.name(), r.line());
        List<Entry> out = new ArrayList<>();
        for (RuleInfo r : kb.rules().values())
            out.add(new Entry(r.code(), r.name(), r.family(), r.file(), lines.getOrDefault(r.name(), 0), r.doc(), lhsTypes(kb, r)));
        out.sort(Comparator.comparing(Entry::family).thenComparing(Entry::file).thenComparingInt(Entry::line).thenComparing(Entry::name));
        return out;
    }

    /** Simple names of the classes the rule's patterns match, sorted; java.* containers (collect's List) left out. */
    public static List<String> lhsTypes(KnowledgeBase kb, RuleInfo r) {
        Set<String> types = new java.util.TreeSet<>(); // sorted: stable whatever order Drools keeps the LHS in
        if (kb.kieBase().getRule(r.packageName(), r.name()) instanceof RuleImpl impl) visit(impl.getLhs(), types);
        return List.copyOf(types);
    }

    private static void visit(RuleConditionElement e, Set<String> types) {
        if (e == null) return;
        if (e instanceof Pattern p && p.getObjectType() instanceof ClassObjectType cot) {
            Class<?> c = cot.getClassType();
            // Object[] is the executable model's tuple for an accumulate with several functions, not a fact type:
            // left out so the packed model and a --rules folder give the same catalogue
            if (!c.isArray() && !c.getName().startsWith("java.") && !c.getName().startsWith("org.drools.")) types.add(c.getSimpleName());
            visit(p.getSource(), types);
        }
        for (RuleConditionElement n : e.getNestedElements()) visit(n, types);
    }

    public static String markdown(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# Rule catalogue\n\n");
        b.append("Generated from `rules/` by `").append(COMMAND).append("`; do not edit by hand\n");
        b.append("(`RuleCatalogueSyncTest` fails when this page and the rules differ). One row per rule: its verdict or\n");
        b.append("evidence code, the family page that explains it, the file, and the fact types its left-hand side matches.\n");
        b.append("How to write a rule: [authoring.md](authoring.md).\n\n");
        b.append("| code | family | rule | file | matches |\n|---|---|---|---|---|\n");
        for (Entry e : entries)
            b.append("| `").append(e.code()).append("` | [").append(e.family()).append("](").append(e.family()).append(".md) | ")
                    .append(cell(e.name())).append(" | ").append(e.file()).append(" | ").append(String.join(", ", e.lhsTypes())).append(" |\n");
        Map<String, List<Entry>> byFamily = new TreeMap<>();
        for (Entry e : entries) byFamily.computeIfAbsent(e.family(), k -> new ArrayList<>()).add(e);
        for (var f : byFamily.entrySet()) {
            b.append("\n## ").append(f.getKey()).append("\n");
            for (Entry e : f.getValue()) {
                b.append("\n### `").append(e.code()).append("`: ").append(e.name()).append("\n\n");
                b.append(e.doc().strip()).append("\n\n");
                b.append("File `").append(e.file()).append("`; matches ").append(e.lhsTypes().isEmpty() ? "no fact" : String.join(", ", e.lhsTypes())).append(".\n");
            }
        }
        return b.toString();
    }

    private static String cell(String s) { return s.replace("|", "\\|"); }
}
