package dev.leakdx.facts;

/**
 * A kernel log line that matters for memory triage: an OOM kill, an allocation failure,
 * a panic. {@code kind} is a stable word (OOM_INVOKED, OOM_KILLED, ALLOC_FAILURE, PANIC),
 * {@code subject} the process or caller named, {@code time} the printk seconds or -1.
 */
public record KernelLogEvent(String kind, String subject, double time, String text, Provenance provenance) implements Fact {
    @Override public String describe() {
        return kind + (subject.isEmpty() ? "" : " " + subject) + ": " + text;
    }
}
