package dev.leakdx.facts;

/**
 * A property of the host: {@code page_size}, {@code arch}, {@code kernel_release},
 * {@code crash_version}, {@code ram_bytes}, {@code struct_page_size}, {@code mem_map_base}.
 * Stated by a manifest or a capture (sys, uname) or inferred; {@code how} says which,
 * in words a reader can check (e.g. "kmem -i: 510.4 GB / 8,362,460 pages").
 */
public record HostFact(String key, String value, String how, Provenance provenance) implements Fact {
    public long asLong() {
        try { return Long.parseLong(value); } catch (NumberFormatException e) { return -1; }
    }

    @Override public String describe() { return key + " = " + value + " (" + how + ")"; }
}
