package dev.leakdx.cli;

import dev.leakdx.extract.ResourceFolder;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The values options take, for help texts, shell completion and "did you mean" errors. */
final class Completion {
    private Completion() {}

    static final class Formats implements Iterable<String> {
        @Override public Iterator<String> iterator() { return List.of("text", "md", "json", "html").iterator(); }
    }

    static final class FactFormats implements Iterable<String> {
        @Override public Iterator<String> iterator() { return List.of("text", "json").iterator(); }
    }

    /** The concrete fact types the rules match on (FactTypesTest keeps this list equal to dev.leakdx.facts). */
    static final List<String> FACT_TYPES = List.of("AddressTranslation", "BuddyZone", "CommandRun", "CounterTrend", "EventCounter",
            "HostFact", "HugePagePool", "KernelLogEvent", "KernelModule", "KernelStruct", "MemCounter", "OomConstraint", "OomKill", "OomSlabRow",
            "OomTask", "OomTrigger", "PageDescriptor", "PageGroup", "PageTypesRow", "PerCpuAddress", "PipelineCount", "ProcessMemory",
            "ProcessThreads", "RawMemory", "SearchHit", "SearchRun", "SlabCache", "SlabTrend", "TrendPoint", "VmallocArea",
            "VmallocInfoEntry", "ZoneInfo");

    static final class FactTypes implements Iterable<String> {
        @Override public Iterator<String> iterator() { return FACT_TYPES.iterator(); }
    }

    /** The @code of every packed rule, read from the DRL texts (no knowledge base is built for a completion). */
    static final class RuleCodes implements Iterable<String> {
        @Override public Iterator<String> iterator() { return ruleCodes().iterator(); }
    }

    static List<String> ruleCodes() {
        TreeSet<String> codes = new TreeSet<>();
        Pattern p = Pattern.compile("@code\\(\\s*([A-Z0-9_]+)\\s*\\)");
        try {
            for (ResourceFolder.Item i : ResourceFolder.read(null, "rules", ".drl"))
                for (Matcher m = p.matcher(i.text()); m.find(); ) codes.add(m.group(1));
        } catch (Exception e) {
            return List.of();
        }
        return new ArrayList<>(codes);
    }

    /** The candidate closest to {@code typed} by edit distance, or null when none is within a third of its length (at least 2). */
    static String nearest(String typed, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typed.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) { bestD = d; best = c; }
        }
        return best != null && bestD <= Math.max(2, typed.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
