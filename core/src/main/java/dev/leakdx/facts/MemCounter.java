package dev.leakdx.facts;

/**
 * One memory counter as a capture states it: a {@code kmem -i} row, a /proc/meminfo key,
 * a /proc/vmstat key. {@code pages} is -1 when the source gives bytes only (meminfo),
 * {@code bytes} is -1 when it gives pages only and the page size is not known yet.
 */
public record MemCounter(String source, String name, long pages, long bytes, Provenance provenance) implements Fact {
    public String host() { return provenance.host(); }
    public String snapshot() { return provenance.snapshot(); }

    @Override public String describe() {
        String size = bytes >= 0 ? Units.bytes(bytes) : "?";
        return source + " " + name + " = " + (pages >= 0 ? Units.count(pages) + " pages (" + size + ")" : size)
                + (provenance.command().startsWith("derived: ") ? " (" + provenance.command() + ")" : "")
                + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
