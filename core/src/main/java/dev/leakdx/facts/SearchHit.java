package dev.leakdx.facts;

/**
 * One hit of crash {@code search VALUE}: memory at {@code location} holds {@code stored}
 * (which equals {@code value} unless a mask was given).
 */
public record SearchHit(long value, long location, long stored, Provenance provenance) implements Fact {
    @Override public String describe() {
        return "search " + Units.hex(value) + ": found at " + Units.hex(location);
    }
}
