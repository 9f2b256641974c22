package dev.leakdx.facts;

/**
 * One row of crash's page table view ({@code kmem ADDR}, {@code kmem -p}): the struct page
 * address, the physical address, mapping and index as printed, CNT (the raw _refcount),
 * the flags word and crash's decoded flag names when it printed them. {@code queried} is
 * the address given to {@code kmem ADDR} (-1 for kmem -p rows).
 */
public record PageDescriptor(long queried, long page, long physical, String mapping, String index, long count,
                             long flags, String flagNames, Provenance provenance) implements Fact {
    public boolean hasFlag(String name) {
        for (String f : flagNames.split(",")) if (f.trim().equals(name)) return true;
        return false;
    }

    @Override public String describe() {
        return "page " + Units.hex(page) + " phys " + Units.hex(physical) + " CNT " + count
                + " flags " + Units.hex(flags) + (flagNames.isEmpty() ? "" : " (" + flagNames + ")")
                + (queried >= 0 && queried != page ? " for " + Units.hex(queried) : "");
    }
}
