package dev.leakdx.engine;

/**
 * One observation weighed for or against a hypothesis ({@code supports} false = against).
 * {@code weight} is in log-odds units: 1 is "suggestive", 2 "strong", 4 "decisive". The rule
 * that inserts it and the facts it matched are recorded by the trace, which is where the
 * citations come from.
 */
public record Evidence(String hypothesis, String subject, boolean supports, double weight, String text) {
    public Evidence {
        if (weight <= 0) throw new IllegalArgumentException("weight must be positive; use supports=false for evidence against");
    }

    public static Evidence supporting(Hypothesis h, double weight, String text) {
        return new Evidence(h.code(), h.subject(), true, weight, text);
    }

    public static Evidence against(Hypothesis h, double weight, String text) {
        return new Evidence(h.code(), h.subject(), false, weight, text);
    }

    public boolean isAbout(Hypothesis h) { return hypothesis.equals(h.code()) && subject.equals(h.subject()); }

    @Override public String toString() { return (supports ? "+" : "-") + weight + " " + text; }
}
