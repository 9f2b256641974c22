package dev.leakdx.extract;

import dev.leakdx.facts.AddressTranslation;
import dev.leakdx.facts.BuddyZone;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.OomConstraint;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.OomSlabRow;
import dev.leakdx.facts.OomTask;
import dev.leakdx.facts.OomTrigger;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.ProcessMemory;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.KernelModule;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PerCpuAddress;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SearchHit;
import dev.leakdx.facts.SearchRun;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.Units;
import dev.leakdx.facts.VmallocArea;
import dev.leakdx.facts.VmallocInfoEntry;
import dev.leakdx.facts.ZoneInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a typed fact from the string fields a YAML rule filled in. This is the one place
 * that knows each fact's field names and units, so specs stay declarative: a field named
 * {@code kb} is KiB, {@code size} is a crash human size ("510.4 GB"), addresses are hex.
 */
public final class FactFactory {
    private FactFactory() {}

    public static final Set<String> TYPES = Set.of("MemCounter", "HostFact", "HugePagePool", "KernelLogEvent",
            "AddressTranslation", "VmallocArea", "PageDescriptor", "SearchHit", "SearchRun", "PerCpuAddress", "EventCounter",
            "PageTypesRow", "OomKill", "ProcessMemory",
            "SlabCache", "BuddyZone", "VmallocInfoEntry", "ZoneInfo", "OomTrigger", "OomSlabRow", "OomTask", "OomConstraint", "KernelModule");

    public static Fact create(String type, Map<String, String> f, Provenance p) {
        return switch (type) {
            case "MemCounter" -> memCounter(f, p);
            case "HostFact" -> new HostFact(req(f, "key"), req(f, "value"), f.getOrDefault("how", "stated in " + p.cite()), p);
            case "HugePagePool" -> new HugePagePool(f.getOrDefault("node", "all"), hugeSize(f), num(f, "total"),
                    num(f, "free"), longOr(f, "surplus", 0), p);
            case "KernelLogEvent" -> new KernelLogEvent(req(f, "kind"), f.getOrDefault("subject", ""),
                    f.containsKey("time") && !f.get("time").isBlank() ? Double.parseDouble(f.get("time")) : -1,
                    f.getOrDefault("text", ""), p);
            case "AddressTranslation" -> new AddressTranslation(hexField(f, "virtual"), hexField(f, "physical"),
                    f.getOrDefault("how", p.command()), p);
            case "VmallocArea" -> new VmallocArea(hexOr(f, "vmap_area", 0), hexOr(f, "vm_struct", 0), hexField(f, "start"),
                    hexField(f, "end"), num(f, "size"), p);
            case "PageDescriptor" -> new PageDescriptor(hexOr(f, "queried", -1), hexField(f, "page"), hexField(f, "physical"),
                    f.getOrDefault("mapping", ""), f.getOrDefault("index", ""), num(f, "count"), hexOr(f, "flags", 0),
                    f.getOrDefault("names", "").strip(), p);
            case "SearchHit" -> new SearchHit(hexField(f, "value"), hexField(f, "location"),
                    f.containsKey("stored") ? hex(f.get("stored")) : hexField(f, "value"), p);
            case "SearchRun" -> new SearchRun(hexField(f, "value"), f.getOrDefault("options", ""), (int) num(f, "hits"), p);
            case "PerCpuAddress" -> new PerCpuAddress(req(f, "symbol"), f.getOrDefault("type", ""), (int) num(f, "cpu"),
                    hexField(f, "address"), p);
            case "EventCounter" -> new EventCounter(req(f, "source"), req(f, "name"), num(f, "value"), p);
            case "PageTypesRow" -> new PageTypesRow(hexField(f, "flags"), num(f, "pages"), f.getOrDefault("symbolic", "").strip(),
                    f.getOrDefault("names", "").strip(), p);
            case "OomKill" -> new OomKill(num(f, "pid"), f.getOrDefault("comm", ""), f.getOrDefault("memcg", "").startsWith("Memory cgroup"),
                    f.containsKey("time") && !f.get("time").isBlank() ? Double.parseDouble(f.get("time")) : -1,
                    kbOr(f, "total_vm_kb"), kbOr(f, "anon_rss_kb"), kbOr(f, "file_rss_kb"), kbOr(f, "shmem_rss_kb"), p);
            case "ProcessMemory" -> new ProcessMemory(num(f, "pid"), f.getOrDefault("comm", ""), kbOr(f, "rss_kb"), kbOr(f, "anon_kb"),
                    kbOr(f, "anon_huge_kb"), kbOr(f, "file_kb"), kbOr(f, "shmem_kb"), f.getOrDefault("source", ""), p);
            case "SlabCache" -> slabCache(f, p);
            case "BuddyZone" -> new BuddyZone((int) num(f, "node"), req(f, "zone"), counts(req(f, "counts")), p);
            case "VmallocInfoEntry" -> vmallocInfo(f, p);
            case "ZoneInfo" -> new ZoneInfo((int) num(f, "node"), req(f, "zone"), num(f, "free"), longOr(f, "min", -1),
                    longOr(f, "low", -1), longOr(f, "high", -1), longOr(f, "present", -1), longOr(f, "managed", -1), p);
            case "OomTrigger" -> new OomTrigger(req(f, "process"), hexField(f, "gfp_mask"), f.getOrDefault("gfp_flags", "").strip(),
                    (int) signedField(f, "order"), f.containsKey("adj") && !f.get("adj").isBlank() ? (int) signed(f.get("adj")) : OomTrigger.NO_ADJ,
                    f.containsKey("time") && !f.get("time").isBlank() ? Double.parseDouble(f.get("time")) : -1, p);
            case "OomSlabRow" -> new OomSlabRow(req(f, "name"), kib(f, "used_kb"), kib(f, "total_kb"), p);
            case "OomTask" -> oomTask(f, p);
            case "OomConstraint" -> new OomConstraint(req(f, "constraint"), f.getOrDefault("nodemask", "").strip(),
                    f.getOrDefault("cpuset", "").strip(), f.getOrDefault("mems_allowed", "").strip(),
                    "global_oom".equals(f.getOrDefault("global", "").strip()), f.getOrDefault("oom_memcg", "").strip(),
                    f.getOrDefault("task_memcg", "").strip(), req(f, "task"), num(f, "pid"), num(f, "uid"), p);
            case "KernelModule" -> new KernelModule(req(f, "name"), num(f, "size"), longOr(f, "refcount", -1),
                    usedBy(f.getOrDefault("used_by", "")), f.getOrDefault("state", "").strip(),
                    f.getOrDefault("taint", "").replaceAll("[()]", "").strip(), p);
            default -> throw new IllegalArgumentException("unknown fact type " + type + " (known: " + TYPES + ")");
        };
    }

    /**
     * A value no kernel can print (a size that overflows 64-bit bytes, a negative size, a zero
     * MemTotal): the fact is not made, and the line is reported with file:line as "impossible value".
     * Facts that are made hold only values that passed these checks; plausibility across facts (a
     * counter above MemTotal) is the rules' to judge.
     */
    public static final class ImpossibleValue extends IllegalArgumentException {
        public ImpossibleValue(String message) { super(message); }
    }

    /** Counters whose zero means the line is wrong, not that the machine has none. */
    private static final Set<String> NEVER_ZERO = Set.of("MemTotal");

    private static MemCounter memCounter(Map<String, String> f, Provenance p) {
        String name = req(f, "name");
        long pages = longOr(f, "pages", -1);
        long bytes = bytes(f);
        if (pages < -1) throw new ImpossibleValue(name + " " + pages + " pages is negative");
        if (bytes == 0 && NEVER_ZERO.contains(name)) throw new ImpossibleValue(name + " is 0: a machine has memory");
        if (pages == 0 && bytes <= 0 && NEVER_ZERO.contains(name)) throw new ImpossibleValue(name + " is 0 pages: a machine has memory");
        return new MemCounter(req(f, "source"), name, pages, bytes, p);
    }

    /** slabinfo rows give pagesperslab; kmem -s rows give SSIZE ("4k", "32k") = bytes per slab. */
    private static SlabCache slabCache(Map<String, String> f, Provenance p) {
        long slabBytes = -1;
        String ssize = f.get("ssize");
        if (ssize != null && !ssize.isBlank()) {
            slabBytes = Units.parseCrashSize(ssize);
            if (slabBytes <= 0) throw new IllegalArgumentException("not a slab size: " + ssize);
        }
        long slabs = num(f, "slabs");
        String cache = f.get("cache_size");
        if (cache != null && !cache.isBlank()) {
            // slabtop: CACHE SIZE = num_slabs x pages_per_slab x PAGE_SIZE, so one slab is CACHE SIZE / SLABS
            long cacheBytes = Units.parseCrashSize(cache);
            if (cacheBytes < 0) throw new IllegalArgumentException("not a cache size: " + cache);
            if (slabs > 0) slabBytes = Math.round((double) cacheBytes / slabs);
        }
        return new SlabCache(req(f, "name"), num(f, "active"), num(f, "num"), sizeOrCount(req(f, "objsize")), longOr(f, "per", -1),
                longOr(f, "pages", -1), longOr(f, "active_slabs", -1), slabs, req(f, "source"), slabBytes, p);
    }

    /** A plain byte count (slabinfo's objsize) or a size with a unit (slabtop's "0.19K"). */
    private static long sizeOrCount(String s) {
        if (s.chars().allMatch(Character::isDigit)) return dec(s);
        long b = Units.parseCrashSize(s);
        if (b < 0) throw new IllegalArgumentException("not a size: " + s);
        return b;
    }

    /** The flag words of a vmallocinfo line, most telling first: the kind of area they make. */
    private static final List<String> VMALLOC_KINDS = List.of("ioremap", "vmalloc", "vmap", "user", "dma-coherent", "sparse", "vpages");

    /**
     * {@code rest} is what follows the size: [caller+off/len [module]] [pages=N] [phys=ADDR] flag words [Nn=k...].
     * The first word that is neither key=value nor a known flag is the caller (%pS: "sym+0x5e/0x90", or a raw
     * address when the symbol is unknown); later unknown words are kept in {@code flags}.
     */
    private static VmallocInfoEntry vmallocInfo(Map<String, String> f, Provenance p) {
        String caller = f.getOrDefault("caller", "").strip();
        long pages = longOr(f, "pages", -1);
        List<String> flagWords = new ArrayList<>();
        String rest = f.getOrDefault("rest", "").strip();
        if (!rest.isEmpty()) {
            String[] w = rest.split("\\s+");
            boolean first = true;
            for (int i = 0; i < w.length; i++) {
                String t = w[i];
                boolean callerSlot = first;
                first = false;
                if (t.startsWith("pages=")) pages = dec(t.substring(6));
                else if (t.startsWith("phys=") || t.matches("N\\d+=\\d+")) continue;
                else if (VMALLOC_KINDS.contains(t)) flagWords.add(t);
                else if (callerSlot && caller.isEmpty()) {
                    caller = t;
                    if (i + 1 < w.length && w[i + 1].startsWith("[") && w[i + 1].endsWith("]")) caller += " " + w[++i];
                } else flagWords.add(t);
            }
        }
        String flags = f.getOrDefault("flags", "").strip().replaceAll("\\s+", " ");
        if (flags.isEmpty()) flags = String.join(" ", flagWords);
        String kind = f.getOrDefault("kind", "").strip();
        if (kind.isEmpty()) {
            kind = "other";
            List<String> words = List.of(flags.split(" "));
            for (String k : VMALLOC_KINDS) if (words.contains(k)) { kind = k; break; }
        }
        if (flags.isEmpty()) flags = kind;
        return new VmallocInfoEntry(hexOr(f, "start", 0), hexOr(f, "end", 0), num(f, "size"), caller, pages, kind, flags, p);
    }

    /** The three task-table generations: rss split (6.8+), pgtables_bytes (4.15+), nr_ptes [nr_pmds] (older). */
    private static OomTask oomTask(Map<String, String> f, Provenance p) {
        long ptes = longOr(f, "nr_ptes", -1);
        long pmds = longOr(f, "nr_pmds", -1);
        long pgtPages = ptes < 0 ? -1 : ptes + Math.max(0, pmds);
        return new OomTask(num(f, "pid"), num(f, "uid"), num(f, "tgid"), num(f, "total_vm"), num(f, "rss"),
                f.containsKey("pgtables_bytes") && !f.get("pgtables_bytes").isBlank() ? signed(f.get("pgtables_bytes")) : -1,
                longOr(f, "swapents", -1), (int) signedField(f, "adj"), req(f, "name"), longOr(f, "rss_anon", -1),
                longOr(f, "rss_file", -1), longOr(f, "rss_shmem", -1), pgtPages, p);
    }

    /** /proc/modules prints "a,b," or "-" for none; lsmod prints "a,b" or nothing. */
    private static String usedBy(String s) {
        String t = s.strip();
        if (t.equals("-")) return "";
        return t.replaceAll(",+$", "");
    }

    /** "0 0 1 3 438" -> [0, 0, 1, 3, 438] */
    private static List<Long> counts(String s) {
        List<Long> out = new ArrayList<>();
        for (String t : s.strip().split("\\s+")) out.add(dec(t));
        return out;
    }

    private static long signed(String s) {
        return Long.parseLong(s.strip());
    }

    /** A decimal field, or an error that names the field: never a raw "For input string". */
    private static long num(Map<String, String> f, String k) {
        return field(f, k, FactFactory::dec, v -> notNumber(k, v));
    }

    private static long signedField(Map<String, String> f, String k) {
        return field(f, k, FactFactory::signed, v -> notNumber(k, v));
    }

    private static long hexField(Map<String, String> f, String k) {
        return field(f, k, FactFactory::hex, v -> "field '" + k + "' is not a hexadecimal number: '" + shorten(v) + "'");
    }

    /** A required field parsed by {@code parse}; a value it rejects is an error worded by {@code why}. */
    private static long field(Map<String, String> f, String k, java.util.function.ToLongFunction<String> parse,
                              java.util.function.Function<String, String> why) {
        String v = req(f, k);
        try {
            return parse.applyAsLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(why.apply(v));
        }
    }

    private static String notNumber(String k, String v) {
        String t = v.strip().replace(",", "");
        if (t.matches("-?\\d+")) return "field '" + k + "' is out of range: " + shorten(v);
        return "field '" + k + "' is not a number: '" + shorten(v) + "'";
    }

    private static String shorten(String v) { return v.length() > 40 ? v.substring(0, 40) + "..." : v; }

    /** KiB to bytes: negative or overflowing is impossible. */
    private static long kib(Map<String, String> f, String k) {
        long kb = num(f, k);
        return kibToBytes(k, kb);
    }

    private static long kibToBytes(String k, long kb) {
        if (kb < 0) throw new ImpossibleValue(k + " " + kb + " kB is negative");
        try {
            return Math.multiplyExact(kb, 1024L);
        } catch (ArithmeticException e) {
            throw new ImpossibleValue(k + " " + kb + " kB overflows 64-bit bytes");
        }
    }

    private static String req(Map<String, String> f, String k) {
        String v = f.get(k);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("missing field '" + k + "'");
        return v.strip();
    }

    static long dec(String s) {
        return Long.parseLong(s.strip().replace(",", ""));
    }

    static long hex(String s) {
        return Units.parseHex(s.strip());
    }

    private static long longOr(Map<String, String> f, String k, long dflt) {
        String v = f.get(k);
        return v == null || v.isBlank() ? dflt : num(f, k);
    }

    private static long hexOr(Map<String, String> f, String k, long dflt) {
        String v = f.get(k);
        return v == null || v.isBlank() ? dflt : hexField(f, k);
    }

    private static long kbOr(Map<String, String> f, String k) {
        String v = f.get(k);
        return v == null || v.isBlank() ? -1 : kib(f, k);
    }

    private static long bytes(Map<String, String> f) {
        if (f.containsKey("bytes") && !f.get("bytes").isBlank()) {
            long b = num(f, "bytes");
            if (b < 0) throw new ImpossibleValue("bytes " + b + " is negative");
            return b;
        }
        if (f.containsKey("kb") && !f.get("kb").isBlank()) return kib(f, "kb");
        if (f.containsKey("size") && !f.get("size").isBlank()) {
            long b = Units.parseCrashSize(f.get("size"));
            if (b < 0) throw new IllegalArgumentException("not a size: " + f.get("size"));
            return b;
        }
        return -1;
    }

    private static long hugeSize(Map<String, String> f) {
        if (f.containsKey("size_kb")) return kib(f, "size_kb");
        long b = bytes(f);
        if (b <= 0) throw new IllegalArgumentException("missing hugepage size");
        return b;
    }
}
