package dev.leakdx.facts;

/** One CPU's instance of a per-CPU symbol, from crash {@code p SYMBOL}'s PER-CPU ADDRESSES list. */
public record PerCpuAddress(String symbol, String type, int cpu, long address, Provenance provenance) implements Fact {
    @Override public String describe() {
        return "per-cpu " + symbol + " (" + type + ") cpu " + cpu + " at " + Units.hex(address);
    }
}
