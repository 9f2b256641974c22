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
        // what opening the capture had to say: limits reached, FIFOs and outward links skipped, a cut archive
        for (dev.leakdx.extract.Diagnostic n : capture.notes()) sink.diagnostic(n.file(), n.line(), n.level(), n.message());
        List<Fact> facts = ProcessTable.merge(HostInference.settle(ImpossibleValues.setAside(sink.facts(), sink), capture.manifest(), sink));
        facts = Trends.add(facts, capture.manifest(), sink); // growth across time snapshots, summed before the rules
        StageClock.mark("extracted " + facts.size() + " facts");
        return new Extraction(facts, sink);
    }

    /** Runs the rules over given facts; {@code filter} restricts which rules may fire (unit tests, near-miss checks). */
    public Result reason(String name, List<?> inputs, Sink sink, AgendaFilter filter) {
        KnowledgeBase kb = knowledgeBase();
        KieSession session = kb.kieBase().newKieSession();
        boolean disposed = false;
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
            int fired = fire(session, filter);
            if (fired >= MAX_FIRINGS)
                sink.diagnostic("rules", 0, "error", "rules fired " + fired + " times and were stopped: a rule loops");
            Set<Object> present = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object o : session.getObjects()) if (!(o instanceof Fact)) present.add(o);
            // keep the order in which they were drawn, which reads naturally in reports; then any given as inputs
            List<Object> ordered = new ArrayList<>();
            for (Object o : trace.conclusions()) if (present.remove(o)) ordered.add(o);
            for (Object o : inputs) if (present.remove(o)) ordered.add(o);
            return new Result(name, facts, ordered, trace, sink, kb, fired);
        } catch (RulesTimeout t) {
            disposed = true; // the session is left to its runaway thread; disposing it under that thread could block
            throw t;
        } finally {
            if (!disposed) session.dispose();
        }
    }

    /** Rules that ran past {@link dev.leakdx.capture.Limits#RULES_SECONDS}: the session was halted. */
    public static final class RulesTimeout extends RuntimeException {
        RulesTimeout(String message) { super(message); }
    }

    /**
     * fireAllRules on a thread of its own, within the time budget: a rule is code, and one that never
     * ends (a {@code while (true)} in a consequence or an eval) must not hang a diagnose or a batch. Past
     * the budget the session is halted and the thread interrupted, then stopped: on Java 17
     * Thread.stop still ends a loop that checks nothing.
     */
    @SuppressWarnings({"removal", "deprecation"})
    private static int fire(KieSession session, AgendaFilter filter) {
        long seconds = dev.leakdx.capture.Limits.RULES_SECONDS.get();
        Object[] result = new Object[1]; // the number of firings, or what was thrown; read after join
        Thread t = new Thread(() -> {
            try {
                result[0] = filter == null ? session.fireAllRules(MAX_FIRINGS) : session.fireAllRules(filter, MAX_FIRINGS);
            } catch (Throwable e) {
                result[0] = e;
            }
        }, "leakdx-rules");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        try {
            t.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (t.isAlive()) {
            session.halt();
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException ignored) {
                interrupted = true;
            }
            if (t.isAlive()) {
                try {
                    t.stop();
                } catch (UnsupportedOperationException | SecurityException ignored) {
                    // a newer JVM: the daemon thread ends with the process
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            throw new RulesTimeout(interrupted ? "the rule run was interrupted and halted"
                    : "the rules ran longer than " + seconds + " s (limit leakdx.limit.rules-seconds) and were halted: a rule that never ends (a loop in a consequence or an eval)?");
        }
        if (interrupted) Thread.currentThread().interrupt();
        Object r = result[0];
        if (r instanceof Integer fired) return fired;
        if (r instanceof RuntimeException re) throw re;
        if (r instanceof Error err) throw err;
        if (r instanceof Throwable other) throw new IllegalStateException(other);
        throw new OutOfMemoryError("the rule run ended without a result"); // it could not even record what went wrong
    }
}