package dev.leakdx.engine;

import dev.leakdx.facts.Units;

/**
 * A candidate diagnosis raised by a rule: a stable {@code code} (the verdict code users
 * script against), the {@code subject} it is about (a page population, a hugetlb pool), a
 * prior weight, and the memory involved. Other rules weigh it with {@link Evidence}; the
 * ranking turns the weights into a confidence. Hypotheses about the same {@code subject}
 * compete: the report shows the best as the verdict and the others as considered.
 */
public record Hypothesis(String code, String subject, String title, String severity, double prior, long bytes,
                         long pages, String summary) {
    public Hypothesis {
        if (!severity.equals("critical") && !severity.equals("warning") && !severity.equals("info"))
            throw new IllegalArgumentException("severity must be critical, warning or info: " + severity);
    }

    @Override public String toString() {
        return code + " [" + subject + "] " + Units.bytes(Math.max(0, bytes)) + ": " + summary;
    }
}
