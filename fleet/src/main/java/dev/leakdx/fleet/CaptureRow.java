package dev.leakdx.fleet;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureBudget;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.Failure;
import dev.leakdx.cli.Main;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.PagePopulation;
import dev.leakdx.engine.SnapshotTimes;
import dev.leakdx.engine.VmallocCallers;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.KernelModule;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.VmallocInfoEntry;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One capture diagnosed on an executor, as one row of {@link FleetSchema#RESULT}: the same steps
 * as {@code leakdx diagnose} (open, extract, reason, explain; the CLI's BatchRun), then the report's
 * host facts and verdicts and a compact summary of the facts the fleet questions need. A capture
 * that cannot be read is a row with its error, never the end of the job.
 */
final class CaptureRow {
    /** How many slab caches and vmalloc callers a summary keeps: the largest, which fleet questions rank. */
    static final int TOP = 10;

    private CaptureRow() {}

    /** Diagnoses {@code local} (a folder or archive on this machine) within the CLI's per-capture time budget. */
    static Row diagnose(Diagnoser d, Path local, String name, String uri) {
        long t0 = System.nanoTime();
        return CaptureBudget.run("leakdx-fleet-capture", () -> diagnoseNow(d, local, name, uri),
                why -> failed(name, uri, why, millisSince(t0)));
    }

    private static Row diagnoseNow(Diagnoser d, Path local, String name, String uri) {
        long t0 = System.nanoTime();
        if (!Files.exists(local)) return failed(name, uri, "no such file or folder", 0);
        try (Capture c = CaptureOpener.open(local)) {
            if (c.files().isEmpty()) return failed(name, uri, "the capture holds no files", millisSince(t0));
            Diagnoser.Result result = d.diagnose(c);
            Report report = new Explainer(result, "leakdx " + Main.VERSION).explain();
            return row(name, uri, report, result.facts(), result.conclusions(), null, millisSince(t0));
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return failed(name, uri, Failure.describe(e), millisSince(t0));
        }
    }

    private static long millisSince(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    static Row failed(String name, String uri, String error, long millis) {
        return row(name, uri, null, List.of(), List.of(), error, millis);
    }

    private static Row row(String name, String uri, Report report, List<Fact> facts, List<Object> conclusions, String error, long millis) {
        Map<String, Report.HostValue> host = report == null ? Map.of() : report.host();
        long pageSize = longOf(host, "page_size");
        List<Report.Verdict> verdicts = report == null ? List.of() : report.verdicts();
        List<Row> verdictRows = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) verdictRows.add(verdict(i + 1, verdicts.get(i)));
        long skipped = 0;
        if (report != null) for (Report.FileView f : report.diagnostics().files()) skipped += Math.max(0, f.skipped());
        List<MemCounter> memory = current(facts, MemCounter.class, MemCounter::provenance);
        return RowFactory.create(
                name, uri,
                text(host, "hostname"), timestamp(text(host, "captured")),
                text(host, "kernel_release"), text(host, "arch"),
                nullIfUnknown(longOf(host, "ram_bytes")), nullIfUnknown(pageSize),
                report == null ? 2 : report.exitCode(), error,
                verdicts.size(),
                verdicts.isEmpty() ? null : verdicts.get(0).code(),
                verdicts.isEmpty() ? null : verdicts.get(0).severity(),
                skipped, millis,
                scalaMap(counters(memory, "meminfo")), scalaMap(counters(memory, "kmem -i")),
                seq(slabCaches(facts, pageSize)), seq(vmallocCallers(facts, pageSize)), seq(populations(facts, conclusions, pageSize)),
                modules(facts), seq(verdictRows));
    }

    private static Row verdict(int rank, Report.Verdict v) {
        Report.Cite top = v.basis().isEmpty() ? null : v.basis().get(0);
        return RowFactory.create(rank, v.code(), v.severity(), v.bytes(), v.pages() < 0 ? null : v.pages(), v.confidence(),
                v.rule(), v.title(), v.subject(), top == null ? null : top.cite(), top == null ? null : top.fact());
    }

    /**
     * The facts of the host under diagnosis (not a healthy twin) in its current snapshot: the unnamed one
     * (proc/), else the latest of a series; what a fleet compares across captures.
     */
    private static <T extends Fact> List<T> current(List<Fact> facts, Class<T> type, Function<T, Provenance> where) {
        List<T> own = facts.stream().filter(type::isInstance).map(type::cast).filter(f -> where.apply(f).host().isEmpty()).toList();
        if (own.isEmpty()) return own;
        String now = own.stream().map(f -> where.apply(f).snapshot()).anyMatch(String::isEmpty) ? ""
                : own.stream().map(f -> where.apply(f).snapshot()).max(Comparator.comparingDouble(SnapshotTimes::orderKey)).orElse("");
        return own.stream().filter(f -> where.apply(f).snapshot().equals(now)).toList();
    }

    /** A source's counters in bytes (the first reading of a name wins: a capture's own, not a derived one). */
    private static Map<String, Long> counters(List<MemCounter> memory, String source) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (MemCounter m : memory) {
            if (!m.source().equals(source) || m.bytes() < 0 || !m.provenance().context().isEmpty()) continue;
            out.putIfAbsent(m.name(), m.bytes());
        }
        return out;
    }

    /** Spark's Row encoder takes an array column as a Scala Seq. */
    private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
        return scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq();
    }

    /** ... and a map column as a Scala map. */
    private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> m) {
        return scala.jdk.javaapi.CollectionConverters.asScala(m);
    }

    private static List<Row> slabCaches(List<Fact> facts, long pageSize) {
        return current(facts, SlabCache.class, SlabCache::provenance).stream()
                .filter(s -> s.bytes(pageSize) >= 0)
                .sorted(Comparator.comparingLong((SlabCache s) -> s.bytes(pageSize)).reversed().thenComparing(SlabCache::name))
                .limit(TOP)
                .map(s -> RowFactory.create(s.name(), s.bytes(pageSize), s.activeObjs() < 0 ? null : s.activeObjs(),
                        s.numObjs() < 0 ? null : s.numObjs(), s.objSize() < 0 ? null : s.objSize(), s.source()))
                .collect(Collectors.toList());
    }

    private static List<Row> vmallocCallers(List<Fact> facts, long pageSize) {
        List<VmallocInfoEntry> entries = current(facts, VmallocInfoEntry.class, VmallocInfoEntry::provenance);
        return VmallocCallers.rank(entries, pageSize).stream().limit(TOP)
                .map(t -> RowFactory.create(t.caller(), t.bytes(), t.areas()))
                .collect(Collectors.toList());
    }

    /**
     * The largest page populations: from a crash page table, the populations the rules grouped (pages of one
     * refcount, mapping and lru class); from page-types, the rows of the most complete table (the one that
     * counts most pages, as the rules choose), by flags.
     */
    private static List<Row> populations(List<Fact> facts, List<Object> conclusions, long pageSize) {
        List<Row> out = new ArrayList<>(conclusions.stream().filter(PagePopulation.class::isInstance).map(PagePopulation.class::cast)
                .sorted(Comparator.comparingLong(PagePopulation::bytes).reversed())
                .limit(TOP)
                .map(p -> RowFactory.create(p.subject(), p.pages(), p.totalPages(), (Long) p.bytes(), p.file()))
                .toList());
        Map<String, List<PageTypesRow>> byFile = current(facts, PageTypesRow.class, PageTypesRow::provenance).stream()
                .collect(Collectors.groupingBy(r -> r.provenance().file(), LinkedHashMap::new, Collectors.toList()));
        byFile.values().stream()
                .max(Comparator.comparingLong((List<PageTypesRow> l) -> l.stream().mapToLong(PageTypesRow::pages).sum()))
                .ifPresent(rows -> rows.stream().sorted(Comparator.comparingLong(PageTypesRow::pages).reversed()).limit(TOP)
                        .forEach(r -> out.add(RowFactory.create(String.format("page-types 0x%016x %s", r.flags(), r.names()).strip(),
                                r.pages(), r.pages(), pageSize > 0 ? (Long) (r.pages() * pageSize) : null, r.provenance().file()))));
        return out;
    }

    /** The loaded modules' names, sorted: which drivers a host runs, for the questions that ask which go with a leak. */
    private static scala.collection.immutable.Seq<String> modules(List<Fact> facts) {
        List<String> names = current(facts, KernelModule.class, KernelModule::provenance).stream().map(KernelModule::name)
                .distinct().sorted().toList();
        return scala.jdk.javaapi.CollectionConverters.asScala(names).toSeq();
    }

    private static String text(Map<String, Report.HostValue> host, String key) {
        Report.HostValue v = host.get(key);
        return v == null || v.value() == null || v.value().isBlank() ? null : v.value().strip();
    }

    private static long longOf(Map<String, Report.HostValue> host, String key) {
        String v = text(host, key);
        if (v == null) return -1;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;   // a host fact that is not a whole number is unknown here, as the CLI's JSON shows it as text
        }
    }

    private static Long nullIfUnknown(long v) { return v < 0 ? null : v; }

    /** The capture time a bundle states (case.yaml capture.time), in any form the trend code reads. */
    static Timestamp timestamp(String captured) {
        if (captured == null) return null;
        try {
            return Timestamp.from(java.time.OffsetDateTime.parse(captured).toInstant());   // 2026-12-05T12:35:11.5+01:00
        } catch (java.time.format.DateTimeParseException e) {
            // not ISO 8601 with an offset: the forms trend snapshots take (UTC, compact, epoch seconds)
        }
        OptionalLong s = SnapshotTimes.epochSeconds(captured);
        return s.isPresent() ? new Timestamp(s.getAsLong() * 1000) : null;
    }
}
