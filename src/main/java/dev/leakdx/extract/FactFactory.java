package dev.leakdx.extract;

import dev.leakdx.facts.AddressTranslation;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.ProcessMemory;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PerCpuAddress;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SearchHit;
import dev.leakdx.facts.SearchRun;
import dev.leakdx.facts.Units;
import dev.leakdx.facts.VmallocArea;

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
            "PageTypesRow", "OomKill", "ProcessMemory");

    public static Fact create(String type, Map<String, String> f, Provenance p) {
        return switch (type) {
            case "MemCounter" -> new MemCounter(req(f, "source"), req(f, "name"), longOr(f, "pages", -1), bytes(f), p);
            case "HostFact" -> new HostFact(req(f, "key"), req(f, "value"), f.getOrDefault("how", "stated in " + p.cite()), p);
            case "HugePagePool" -> new HugePagePool(f.getOrDefault("node", "all"), hugeSize(f), dec(req(f, "total")),
                    dec(req(f, "free")), longOr(f, "surplus", 0), p);
            case "KernelLogEvent" -> new KernelLogEvent(req(f, "kind"), f.getOrDefault("subject", ""),
                    f.containsKey("time") && !f.get("time").isBlank() ? Double.parseDouble(f.get("time")) : -1,
                    f.getOrDefault("text", ""), p);
            case "AddressTranslation" -> new AddressTranslation(hex(req(f, "virtual")), hex(req(f, "physical")),
                    f.getOrDefault("how", p.command()), p);
            case "VmallocArea" -> new VmallocArea(hexOr(f, "vmap_area", 0), hexOr(f, "vm_struct", 0), hex(req(f, "start")),
                    hex(req(f, "end")), dec(req(f, "size")), p);
            case "PageDescriptor" -> new PageDescriptor(hexOr(f, "queried", -1), hex(req(f, "page")), hex(req(f, "physical")),
                    f.getOrDefault("mapping", ""), f.getOrDefault("index", ""), dec(req(f, "count")), hexOr(f, "flags", 0),
                    f.getOrDefault("names", "").strip(), p);
            case "SearchHit" -> new SearchHit(hex(req(f, "value")), hex(req(f, "location")),
                    f.containsKey("stored") ? hex(f.get("stored")) : hex(req(f, "value")), p);
            case "SearchRun" -> new SearchRun(hex(req(f, "value")), f.getOrDefault("options", ""), (int) dec(req(f, "hits")), p);
            case "PerCpuAddress" -> new PerCpuAddress(req(f, "symbol"), f.getOrDefault("type", ""), (int) dec(req(f, "cpu")),
                    hex(req(f, "address")), p);
            case "EventCounter" -> new EventCounter(req(f, "source"), req(f, "name"), dec(req(f, "value")), p);
            case "PageTypesRow" -> new PageTypesRow(hex(req(f, "flags")), dec(req(f, "pages")), f.getOrDefault("symbolic", "").strip(),
                    f.getOrDefault("names", "").strip(), p);
            case "OomKill" -> new OomKill(dec(req(f, "pid")), f.getOrDefault("comm", ""), f.getOrDefault("memcg", "").startsWith("Memory cgroup"),
                    f.containsKey("time") && !f.get("time").isBlank() ? Double.parseDouble(f.get("time")) : -1,
                    kbOr(f, "total_vm_kb"), kbOr(f, "anon_rss_kb"), kbOr(f, "file_rss_kb"), kbOr(f, "shmem_rss_kb"), p);
            case "ProcessMemory" -> new ProcessMemory(dec(req(f, "pid")), f.getOrDefault("comm", ""), kbOr(f, "rss_kb"), kbOr(f, "anon_kb"),
                    kbOr(f, "anon_huge_kb"), kbOr(f, "file_kb"), kbOr(f, "shmem_kb"), f.getOrDefault("source", ""), p);
            default -> throw new IllegalArgumentException("unknown fact type " + type + " (known: " + TYPES + ")");
        };
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
        return v == null || v.isBlank() ? dflt : dec(v);
    }

    private static long hexOr(Map<String, String> f, String k, long dflt) {
        String v = f.get(k);
        return v == null || v.isBlank() ? dflt : hex(v);
    }

    private static long kbOr(Map<String, String> f, String k) {
        String v = f.get(k);
        return v == null || v.isBlank() ? -1 : dec(v) * 1024;
    }

    private static long bytes(Map<String, String> f) {
        if (f.containsKey("bytes") && !f.get("bytes").isBlank()) return dec(f.get("bytes"));
        if (f.containsKey("kb") && !f.get("kb").isBlank()) return dec(f.get("kb")) * 1024;
        if (f.containsKey("size") && !f.get("size").isBlank()) {
            long b = Units.parseCrashSize(f.get("size"));
            if (b < 0) throw new IllegalArgumentException("not a size: " + f.get("size"));
            return b;
        }
        return -1;
    }

    private static long hugeSize(Map<String, String> f) {
        if (f.containsKey("size_kb")) return dec(f.get("size_kb")) * 1024;
        long b = bytes(f);
        if (b <= 0) throw new IllegalArgumentException("missing hugepage size");
        return b;
    }
}
