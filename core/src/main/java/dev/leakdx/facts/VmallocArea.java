package dev.leakdx.facts;

/** One {@code kmem -v} row: a vmap_area/vm_struct and its address range. */
public record VmallocArea(long vmapArea, long vmStruct, long start, long end, long size, Provenance provenance) implements Fact {
    public boolean includes(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    @Override public String describe() {
        return "vmalloc area " + Units.hex(start) + "-" + Units.hex(end) + " (" + Units.bytes(size) + ")";
    }
}
