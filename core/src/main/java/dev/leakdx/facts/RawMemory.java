package dev.leakdx.facts;

import java.util.List;

/**
 * Words read by crash {@code x/NxG ADDR} (or {@code rd}): {@code words.get(i)} is at
 * {@code start + i * unit}. Kept whole so rules can ask about record strides.
 */
public record RawMemory(long start, int unit, List<Long> words, Provenance provenance) implements Fact {
    public long end() { return start + (long) unit * words.size(); }

    public boolean covers(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end()) < 0;
    }

    /** The word at an address inside this dump, or Long.MIN_VALUE. */
    public long wordAt(long address) {
        if (!covers(address)) return Long.MIN_VALUE;
        long off = address - start;
        if (off % unit != 0) return Long.MIN_VALUE;
        return words.get((int) (off / unit));
    }

    @Override public String describe() {
        return words.size() + " x " + unit + "-byte words at " + Units.hex(start);
    }
}
