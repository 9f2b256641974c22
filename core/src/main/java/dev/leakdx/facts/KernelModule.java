package dev.leakdx.facts;

/**
 * A loaded kernel module, from /proc/modules (kernel/module/procfs.c m_show; kernel/module.c before
 * 5.19) or lsmod: its name, its size in bytes (the module's own text and data as laid out at load,
 * not what it allocates later), how many references hold it, the modules that use it, its state
 * (Live, Loading, Unloading; "" from lsmod) and its taint letters ("" when none). No other fact type
 * carries a module: memory a module allocates shows in slab, vmalloc or raw pages, and a rule can
 * name the module a vmalloc caller or slab cache belongs to with this fact.
 */
public record KernelModule(String name, long size, long refCount, String usedBy, String state, String taint,
                           Provenance provenance) implements Fact {
    @Override public String describe() {
        return "module " + name + " " + Units.bytes(size) + (refCount >= 0 ? ", used by " + refCount : "")
                + (usedBy.isEmpty() ? "" : " (" + usedBy + ")") + (state.isEmpty() ? "" : ", " + state)
                + (taint.isEmpty() ? "" : ", taint " + taint);
    }
}
