package dev.leakdx.extract;

import dev.leakdx.facts.Fact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what extraction produces: facts for the engine, diagnostics for the user, and per
 * file counts of lines read and lines skipped (not understood), so nothing is dropped silently.
 */
public final class Sink {
    /** Diagnostics kept per file; beyond this only the count grows (a garbled 1 GB file must not flood the report). */
    static final int DIAGNOSTICS_PER_FILE = 20;

    public static final class FileStats {
        public long lines, skipped, diagnostics;
        public String format = "";
    }

    private final List<Fact> facts = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, FileStats> stats = new LinkedHashMap<>();

    public void fact(Fact f) { facts.add(f); }

    public void diagnostic(String file, long line, String level, String message) {
        FileStats s = stats(file);
        s.diagnostics++;
        if (s.diagnostics <= DIAGNOSTICS_PER_FILE) diagnostics.add(new Diagnostic(file, line, level, message));
    }

    /** A line no rule of its section understood. */
    public void skipped(String file, long line, String text) {
        FileStats s = stats(file);
        s.skipped++;
        if (s.skipped <= 3) {
            String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
            diagnostic(file, line, "skipped", "line not understood: " + shown.strip());
        }
    }

    public FileStats stats(String file) { return stats.computeIfAbsent(file, k -> new FileStats()); }

    /** Appends another sink's results (files extracted in parallel are merged back in capture order). */
    public void addAll(Sink other) {
        facts.addAll(other.facts);
        diagnostics.addAll(other.diagnostics);
        stats.putAll(other.stats);
    }

    public List<Fact> facts() { return facts; }

    public List<Diagnostic> diagnostics() { return diagnostics; }

    public Map<String, FileStats> fileStats() { return stats; }

    private final List<dev.leakdx.capture.MissingInput> missing = new ArrayList<>();

    /** Inputs the capture is known to lack (a sosreport's absent files, what a live capture could not read). */
    public List<dev.leakdx.capture.MissingInput> missing() { return missing; }
}
