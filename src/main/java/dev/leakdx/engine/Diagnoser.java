package dev.leakdx.engine;

import dev.leakdx.capture.Capture;
import dev.leakdx.extract.Extractor;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.HostInference;
import dev.leakdx.extract.ProcessTable;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.AgendaFilter;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;

/**
 * The data path in one place: capture files to facts (streaming extraction, host inference),
 * facts into one rule session, conclusions out with their trace. One Diagnoser per rule set
 * and extractor set; it can diagnose many captures (the KieBase is built once).
 */
public final class Diagnoser {
    /** A rule that keeps re-firing is a rule bug; stop rather than hang a triage pipeline. */
    static final int MAX_FIRINGS = 200_000;

    private final Future<KnowledgeBase> kb;
    private final Extractor extractor;

    public Diagnoser(KnowledgeBase kb, ExtractorRegistry extractors) {
        this(CompletableFuture.completedFuture(kb), extractors);
    }

    /**
     * With a knowledge base still being compiled: extraction runs meanwhile (the KieBase build
     * and reading the capture each take seconds on two cores; overlapped, a cold diagnose pays
     * roughly the longer of the two).
     */
    public Diagnoser(Future<KnowledgeBase> kb, ExtractorRegistry extractors) {
        this.kb = kb;
        this.extractor = new Extractor(extractors);
    }

    public KnowledgeBase knowledgeBase() {
        try {
            return kb.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new IllegalStateException(c.getMessage(), c);
        }
    }

    /** Everything a report needs: the input facts, what the rules concluded, and how. */
    public record Result(String capture, List<Fact> facts, List<Object> conclusions, TraceRecorder trace, Sink sink,
                         KnowledgeBase kb, int firings) {}

    public Result diagnose(Capture capture) {
        Extraction e = extract(capture);
        Result r = reason(capture.name(), e.facts(), e.sink(), null);
        StageClock.mark("rules fired " + r.firings() + " times");
        return r;
    }

    /** The facts the rules would see (host settled, processes merged) and the extraction's diagnostics. */
    public record Extraction(List<Fact> facts, Sink sink) {}

    public Extraction extract(Capture capture) {
        StageClock.mark("capture opened");
        Sink sink = extractor.extract(capture);
        sink.missing().addAll(capture.missing());
        List<Fact> facts = ProcessTable.merge(HostInference.settle(ImpossibleValues.setAside(sink.facts(), sink), capture.manifest(), sink));
        facts = Trends.add(facts, capture.manifest(), sink); // growth across time snapshots, summed before the rules
        StageClock.mark("extracted " + facts.size() + " facts");
        return new Extraction(facts, sink);
    }

    /** Runs the rules over given facts; {@code filter} restricts which rules may fire (unit tests, near-miss checks). */
    public Result reason(String name, List<?> inputs, Sink sink, AgendaFilter filter) {
        KnowledgeBase kb = knowledgeBase();
        KieSession session = kb.kieBase().newKieSession();
        TraceRecorder trace = new TraceRecorder();
        session.addEventListener((AgendaEventListener) trace);
        session.addEventListener((RuleRuntimeEventListener) trace);
        try {
            List<Fact> facts = new ArrayList<>();
            for (Object o : inputs) {
                session.insert(o);
                if (o instanceof Fact f) facts.add(f);
            }
            for (Norm n : kb.norms()) session.insert(n); // what is normal, cited like any capture line
            int fired = filter == null ? session.fireAllRules(MAX_FIRINGS) : session.fireAllRules(filter, MAX_FIRINGS);
            if (fired >= MAX_FIRINGS)
                sink.diagnostic("rules", 0, "error", "rules fired " + fired + " times and were stopped: a rule loops");
            Set<Object> present = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object o : session.getObjects()) if (!(o instanceof Fact)) present.add(o);
            // keep the order in which they were drawn, which reads naturally in reports; then any given as inputs
            List<Object> ordered = new ArrayList<>();
            for (Object o : trace.conclusions()) if (present.remove(o)) ordered.add(o);
            for (Object o : inputs) if (present.remove(o)) ordered.add(o);
            return new Result(name, facts, ordered, trace, sink, kb, fired);
        } finally {
            session.dispose();
        }
    }
}
