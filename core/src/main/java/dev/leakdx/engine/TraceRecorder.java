package dev.leakdx.engine;

import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.runtime.rule.Match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records, for every conclusion a rule inserts, which rule fired and what it matched, so any
 * verdict can be explained down to input facts without rule authors doing anything.
 * Consequences run between before- and afterMatchFired, so the match on top of the stack is
 * the one that produced an insert (DROOLS-NOTES §3).
 */
public final class TraceRecorder extends DefaultAgendaEventListener implements RuleRuntimeEventListener {

    /** One binding of a match: a declaration id ("_" for an unbound pattern) and its value. */
    public record Binding(String id, Object value) {}

    /** How a conclusion came to be: the rule and its bindings, in declaration order. */
    public record Derivation(String rule, List<Binding> bindings) {
        /**
         * The facts and conclusions matched: the ones a pattern bound one by one first, in declaration
         * order, then the members of collections from accumulate/collect (flattened). A verdict's own
         * counters lead its citations; the thousands of vmallocinfo areas a rule summed come after.
         */
        public List<Object> premises() {
            List<Object> out = new ArrayList<>();
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Binding b : bindings)
                if (!(b.value() instanceof Collection<?>) && isObject(b.value()) && seen.add(b.value())) out.add(b.value());
            for (Binding b : bindings)
                if (b.value() instanceof Collection<?> c) for (Object o : c) if (isObject(o) && seen.add(o)) out.add(o);
            return out;
        }
    }

    private final Deque<Match> firing = new ArrayDeque<>();
    private final Map<Object, Derivation> producedBy = new IdentityHashMap<>();
    private final List<Object> order = new ArrayList<>();

    @Override public void beforeMatchFired(BeforeMatchFiredEvent e) { firing.push(e.getMatch()); }

    @Override public void afterMatchFired(AfterMatchFiredEvent e) { firing.pop(); }

    @Override public void objectInserted(ObjectInsertedEvent e) {
        if (e.getRule() == null || firing.isEmpty()) return;
        Match m = firing.peek();
        List<Binding> bindings = new ArrayList<>();
        Set<Object> bound = Collections.newSetFromMap(new IdentityHashMap<>());
        // Named declarations first, then the facts of unbound patterns: the DRL route lists only named ones as
        // declarations, the executable model also lists unbound patterns (as GENERATED_...) in LHS order, and
        // reports cite the first premise, so both routes must give the same order.
        List<Binding> unnamed = new ArrayList<>();
        for (String id : m.getDeclarationIds()) {
            Object v = m.getDeclarationValue(id);
            if (id.startsWith("GENERATED_")) unnamed.add(new Binding("_", v));
            else bindings.add(new Binding(id, v));
            if (v != null) bound.add(v);
        }
        bindings.addAll(unnamed);
        for (FactHandle h : m.getFactHandles()) {
            Object o = e.getKieRuntime().getObject(h);
            if (isObject(o) && !bound.contains(o)) {
                bindings.add(new Binding("_", o));
                bound.add(o);
            }
        }
        producedBy.put(e.getObject(), new Derivation(m.getRule().getName(), bindings));
        order.add(e.getObject());
    }

    @Override public void objectDeleted(ObjectDeletedEvent e) { producedBy.remove(e.getOldObject()); }

    @Override public void objectUpdated(ObjectUpdatedEvent e) { }

    /** The derivation of a conclusion, or null for an input fact. */
    public Derivation derivation(Object conclusion) { return producedBy.get(conclusion); }

    /** Conclusions in the order they were drawn. */
    public List<Object> conclusions() {
        List<Object> out = new ArrayList<>();
        for (Object o : order) if (producedBy.containsKey(o)) out.add(o);
        return out;
    }

    /** True for facts and conclusions; false for engine internals, plain values and collections. */
    public static boolean isObject(Object o) {
        if (o == null || o.getClass().isArray()) return false;
        String n = o.getClass().getName();
        return !n.startsWith("org.drools.") && !n.startsWith("org.kie.") && !(o instanceof Number)
                && !(o instanceof String) && !(o instanceof Boolean) && !(o instanceof Collection<?>);
    }
}
