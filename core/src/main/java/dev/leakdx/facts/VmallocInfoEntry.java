package dev.leakdx.facts;

/**
 * One /proc/vmallocinfo line (mm/vmalloc.c s_show): "0xSTART-0xEND SIZE caller+off/len
 * [pages=N] [phys=ADDR] flags... [N0=k ...]". Addresses are hashed by %pK unless
 * kptr_restrict allows them (then END-START may not equal SIZE, and START may exceed END);
 * 0 when the kernel printed "(____ptrval____)" (hashing not ready yet, early after boot).
 * {@code size} is bytes and includes the guard page; {@code pages} is -1 when not printed
 * (ioremap and vmap areas have no pages of their own). {@code kind} is the area's main
 * flag: vmalloc, ioremap, vmap, user, dma-coherent, sparse, vpages, vm_map_ram,
 * unpurged (a freed area not yet purged) or other; {@code flags} all flag words as printed.
 */
public record VmallocInfoEntry(long start, long end, long size, String caller, long pages, String kind, String flags,
                               Provenance provenance) implements Fact {

    public VmallocInfoEntry(long start, long end, long size, String caller, long pages, String kind, Provenance provenance) {
        this(start, end, size, caller, pages, kind, kind, provenance);
    }

    /** The caller without its offset: "kernel_clone+0xbf/0x430" gives "kernel_clone"; a module name in brackets is kept. */
    public String callerFunction() {
        int plus = caller.indexOf('+');
        if (plus < 0) return caller;
        int mod = caller.indexOf(" [");
        return caller.substring(0, plus) + (mod > plus ? caller.substring(mod) : "");
    }

    /** True for areas whose pages vmalloc allocated (count toward VmallocUsed's page total); false for ioremap/vmap. */
    public boolean ownsPages() { return pages > 0 && !kind.equals("ioremap"); }

    @Override public String describe() {
        return "vmalloc " + kind + " " + Units.bytes(size) + (pages >= 0 ? " (" + Units.count(pages) + " pages)" : "")
                + (caller.isEmpty() ? "" : " by " + caller) + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
