package dev.leakdx.rules;

import dev.leakdx.TestKnowledge;
import dev.leakdx.engine.BudgetEntry;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.TraceRecorder;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SearchHit;
import dev.leakdx.facts.SearchRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fires exactly one rule (by name) over the facts its left-hand side needs, the way
 * DROOLS-NOTES §5 recommends: upstream conclusions are given as inputs, not derived.
 */
final class RuleHarness {
    private RuleHarness() {}

    static Diagnoser.Result fire(String rule, Object... inputs) {
        return fire(TestKnowledge.diagnoser(), rule, inputs);
    }

    /** With other knowledge than the packed rules (a rule still under development, as in the authoring guide). */
    static Diagnoser.Result fire(Diagnoser d, String rule, Object... inputs) {
        assertNotNull(d.knowledgeBase().rule(rule), "no rule named \"" + rule + "\" (renamed?)");
        return d.reason("test", List.of(inputs), new Sink(), m -> m.getRule().getName().equals(rule));
    }

    static <T> List<T> all(Diagnoser.Result r, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : r.conclusions()) if (type.isInstance(o) && r.trace().derivation(o) != null) out.add(type.cast(o));
        return out;
    }

    static <T> T one(Diagnoser.Result r, Class<T> type) {
        List<T> l = all(r, type);
        assertEquals(1, l.size(), "expected one " + type.getSimpleName() + ", got " + l);
        return l.get(0);
    }

    static void none(Diagnoser.Result r, Class<?> type) {
        assertEquals(List.of(), all(r, type), "the rule must not conclude");
    }

    /** The conclusion's derivation names the rule and matched the given input fact. */
    static void derivedFrom(Diagnoser.Result r, Object conclusion, String rule, Object premise) {
        TraceRecorder.Derivation d = r.trace().derivation(conclusion);
        assertNotNull(d, "no trace for " + conclusion);
        assertEquals(rule, d.rule());
        assertTrue(d.premises().stream().anyMatch(p -> p == premise), "trace of " + conclusion + " does not cite " + premise);
    }

    static Provenance at(String file, long line) { return new Provenance(file, line, line, "", "", ""); }

    static Provenance at(String file, long line, String host, String snapshot) { return new Provenance(file, line, line, host, snapshot, ""); }

    static MemCounter kmemI(String name, long pages, long pageSize, int line) {
        return new MemCounter("kmem -i", name, pages, pages * pageSize, at("session.txt", line));
    }

    static MemCounter kmemI(String name, long pages, long pageSize, int line, String host, String snapshot) {
        return new MemCounter("kmem -i", name, pages, pages * pageSize, at(host + "/kmem-i." + snapshot, line, host, snapshot));
    }

    static HostFact host(String key, long value) { return new HostFact(key, Long.toString(value), "test", at("case.yaml", 1)); }

    static HugePagePool pool(String node, long size, long total, long free, int line) {
        return new HugePagePool(node, size, total, free, 0, at("vmcore-dmesg.txt", line));
    }

    static PageGroup group(String lru, long lruValue, String mapping, long mapcount, long refcount, long pages, long tails,
                           List<Long> examples, String file, int line) {
        return new PageGroup("kmem -m", lru, lruValue, 0, mapping, 0, mapcount, refcount, Map.of(), pages, tails,
                Map.of(0x3dfffff000000000L, pages), examples, List.of((long) line), new Provenance(file, line, line, "", "", "kmem -m"));
    }

    static KernelStruct struct(String type, long address, int line, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, Long> l = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
            l.put(kv[i], (long) line + 1 + i / 2);
        }
        return new KernelStruct(type, address, m, l, new Provenance("session.txt", line, line + kv.length / 2 + 1, "", "", "struct " + type));
    }

    static SearchHit hit(long value, long location, int line) { return new SearchHit(value, location, value, at("session.txt", line)); }

    static SearchRun search(long value, int hits, int line) { return new SearchRun(value, "-k", hits, at("session.txt", line)); }

    static PageDescriptor page(long queried, long page, long phys, long count, int line) {
        return new PageDescriptor(queried, page, phys, "0", "0", count, 0x10000, "head", at("session.txt", line));
    }

    static Hypothesis hypothesis(String code, String subject) {
        return new Hypothesis(code, subject, "t", "warning", 0, 1, 1, "s");
    }

    static Evidence evidence(Diagnoser.Result r) { return one(r, Evidence.class); }

    static Finding finding(Diagnoser.Result r) { return one(r, Finding.class); }

    static List<BudgetEntry> budget(Diagnoser.Result r) { return all(r, BudgetEntry.class); }

    static List<NextCapture> next(Diagnoser.Result r) { return all(r, NextCapture.class); }
}
