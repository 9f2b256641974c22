package dev.leakdx.extract;

import dev.leakdx.facts.Fact;
import dev.leakdx.facts.ProcessMemory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ProcessMemory} per process and host snapshot: a capture often holds status,
 * smaps and smaps_rollup of the same PID, and rules that sum RSS must count each process
 * once. The most complete source wins: smaps_rollup, then smaps, then status, then statm.
 */
public final class ProcessTable {
    private static final List<String> PREFERENCE = List.of("smaps_rollup", "smaps", "status", "statm");

    private ProcessTable() {}

    public static List<Fact> merge(List<Fact> facts) {
        Map<String, ProcessMemory> best = new LinkedHashMap<>();
        List<Fact> out = new ArrayList<>();
        for (Fact f : facts) {
            if (!(f instanceof ProcessMemory p)) {
                out.add(f);
                continue;
            }
            // an smaps/smaps_rollup pasted alone does not name its pid (-1): each one is its own process
            String key = p.provenance().host() + "|" + p.provenance().snapshot() + "|" + snapshotDir(p) + "|"
                    + (p.pid() >= 0 ? Long.toString(p.pid()) : p.provenance().cite());
            ProcessMemory b = best.get(key);
            if (b == null || rank(p) < rank(b)) best.put(key, p);
        }
        out.addAll(best.values());
        return out;
    }

    /** Files of one capture folder (proc/ vs proc-before/) describe different moments. */
    private static String snapshotDir(ProcessMemory p) {
        String f = p.provenance().file();
        int slash = f.lastIndexOf('/');
        String dir = slash < 0 ? "" : f.substring(0, slash);
        return dir.endsWith("/smaps") ? dir.substring(0, dir.length() - 6) : dir;
    }

    private static int rank(ProcessMemory p) {
        int i = PREFERENCE.indexOf(p.source());
        return i < 0 ? PREFERENCE.size() : i;
    }
}
