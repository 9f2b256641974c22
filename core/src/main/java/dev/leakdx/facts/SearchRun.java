package dev.leakdx.facts;

/**
 * One crash {@code search} command and how many hits it printed. A run with zero hits is
 * evidence too ("no page_frag_cache stores this address"), so it is a fact of its own.
 */
public record SearchRun(long value, String options, int hits, Provenance provenance) implements Fact {
    @Override public String describe() {
        return "search " + options + (options.isEmpty() ? "" : " ") + Units.hex(value) + ": "
                + (hits == 0 ? "no hits" : hits + " hit" + (hits == 1 ? "" : "s"));
    }
}
