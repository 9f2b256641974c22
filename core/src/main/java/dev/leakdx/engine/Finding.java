package dev.leakdx.engine;

import dev.leakdx.facts.Units;

/**
 * An intermediate conclusion a rule drew ("SHARED is not page cache on this host", "661,713
 * pages sit off every list with refcount 0xffff"). Findings feed other rules and appear as
 * the inner nodes of a verdict's explanation tree.
 */
public record Finding(String code, String subject, long bytes, String summary) {
    @Override public String toString() {
        return code + (subject.isEmpty() ? "" : " [" + subject + "]") + (bytes > 0 ? " " + Units.bytes(bytes) : "") + ": " + summary;
    }
}
