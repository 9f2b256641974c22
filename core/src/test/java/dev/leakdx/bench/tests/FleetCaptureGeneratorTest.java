package dev.leakdx.bench.tests;

import dev.leakdx.bench.FleetCaptureGenerator;
import dev.leakdx.bench.FleetCaptureGenerator.Kind;
import dev.leakdx.bench.FleetCaptureGenerator.Options;
import dev.leakdx.bench.FleetCaptureGenerator.Summary;
import dev.leakdx.bench.FleetCaptureGenerator.Truth;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.Manifest;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.extract.Extractor;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.SlabCache;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet generator's captures read back through leakdx's own extractors and rules: a leak grows
 * by the rate the truth states, the counters move together, case.yaml names the host and the day,
 * and a leaking host's last capture is diagnosed with its kind's verdict. Runs from the repository
 * root (cases/ holds the templates). In a package of its own: bench/classpath.sh compiles every .java
 * file of dev/leakdx/bench with the product jar's dependencies only, which have no JUnit.
 */
class FleetCaptureGeneratorTest {
    static final int HOSTS = 3, DAYS = 3;

    @TempDir static Path tmp;
    static Path out;
    static Summary summary;
    static ExtractorRegistry registry;

    @BeforeAll static void generate() throws IOException {
        out = tmp.resolve("fleet");
        // every host leaks, so the three kinds land on the first three templates (two of them can leak each kind)
        Options o = Options.defaults(out);
        summary = FleetCaptureGenerator.generate(new Options(o.casesDir(), out, HOSTS, DAYS, 2, 1.0, 7, LocalDate.of(2026, 11, 3)));
        registry = ExtractorRegistry.load(null);
    }

    static List<Fact> facts(Path capture) throws IOException {
        try (Capture c = CaptureOpener.open(capture)) {
            Sink sink = new Extractor(registry).extract(c);
            assertEquals(List.of(), sink.diagnostics().stream().filter(d -> !d.level().equals("info")).map(Object::toString).toList(),
                    capture + ": every line of a generated capture must read");
            for (var e : sink.fileStats().entrySet()) assertEquals(0, e.getValue().skipped, capture + "/" + e.getKey() + ": lines not understood");
            return sink.facts();
        }
    }

    static long meminfo(List<Fact> facts, String name) {
        return facts.stream().filter(f -> f instanceof MemCounter m && m.source().equals("meminfo") && m.name().equals(name))
                .map(f -> ((MemCounter) f).bytes()).findFirst().orElseThrow(() -> new AssertionError("no meminfo " + name));
    }

    static List<Path> days(Truth t) {
        List<Path> d = new ArrayList<>();
        LocalDate first = LocalDate.parse(t.firstCapture().substring(t.host().length() + 1), DateTimeFormatter.BASIC_ISO_DATE);
        for (int i = 0; i < DAYS; i++) d.add(out.resolve(t.host() + "-" + first.plusDays(i).format(DateTimeFormatter.BASIC_ISO_DATE)));
        return d;
    }

    static Truth truthOf(Kind k) throws IOException {
        return FleetCaptureGenerator.readTruth(Path.of(out + ".truth.tsv")).stream().filter(t -> t.kind() == k).findFirst()
                .orElseThrow(() -> new AssertionError("no " + k + " host in the truth"));
    }

    @Test void fleetShapeAndTruth() throws IOException {
        assertEquals(HOSTS * DAYS, summary.procCaptures());
        List<Truth> truth = FleetCaptureGenerator.readTruth(Path.of(out + ".truth.tsv"));
        assertEquals(HOSTS, truth.size(), "a leak share of 1 makes every host leak");
        for (int i = 0; i < truth.size(); i++) {
            Truth w = summary.truth().get(i), r = truth.get(i);
            // the file keeps the rate to 1/1,000,000 MiB (about a byte)
            assertEquals(w.mibPerDay(), r.mibPerDay(), 1e-6);
            assertEquals(w, new Truth(r.host(), r.template(), r.kernel(), r.kind(), r.subject(), w.mibPerDay(), r.firstCapture(), r.lastCapture()),
                    "the truth file reads back as written");
        }
        for (Kind k : Kind.values()) assertTrue(truth.stream().anyMatch(t -> t.kind() == k), "kinds are spread: " + truth);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(HOSTS * DAYS + 2, s.count(), "the folder holds the captures and nothing else");
        }
    }

    @Test void slabLeakGrowsByItsRateInSlabinfoAndMeminfo() throws IOException {
        Truth t = truthOf(Kind.SLAB);
        long perDay = Math.round(t.mibPerDay() * 1048576);
        long[] cache = new long[DAYS], sunreclaim = new long[DAYS], slab = new long[DAYS], availPlusAnon = new long[DAYS];
        for (int i = 0; i < DAYS; i++) {
            List<Fact> f = facts(days(t).get(i));
            SlabCache c = f.stream().filter(x -> x instanceof SlabCache s && s.name().equals(t.subject())).map(x -> (SlabCache) x)
                    .findFirst().orElseThrow();
            cache[i] = c.bytes(4096);
            assertEquals(c.activeObjs(), c.numObjs(), "leaked objects are all live");
            sunreclaim[i] = meminfo(f, "SUnreclaim");
            slab[i] = meminfo(f, "Slab");
            // the daily noise moves anon memory in and out of MemAvailable; with it added back only the leak is left
            availPlusAnon[i] = meminfo(f, "MemAvailable") + meminfo(f, "AnonPages");
        }
        for (int i = 1; i < DAYS; i++) {
            // the truth's rate is written to 1/1,000,000 MiB
            assertEquals(perDay, cache[i] - cache[i - 1], 2, t.subject() + " day " + i);
            assertEquals(cache[i] - cache[i - 1], sunreclaim[i] - sunreclaim[i - 1], "SUnreclaim grows with the cache");
            assertEquals(cache[i] - cache[i - 1], slab[i] - slab[i - 1], "Slab grows with the cache");
            assertEquals(-(cache[i] - cache[i - 1]), availPlusAnon[i] - availPlusAnon[i - 1], "MemAvailable falls by the leak");
        }
    }

    @Test void vmallocLeakAddsOneCallersAreas() throws IOException {
        Truth t = truthOf(Kind.VMALLOC);
        long perDay = Math.round(t.mibPerDay() * 1048576);
        long[] pages = new long[DAYS];
        for (int i = 0; i < DAYS; i++)
            pages[i] = facts(days(t).get(i)).stream().filter(x -> x instanceof VmallocInfoEntry v && v.caller().equals(t.subject()))
                    .mapToLong(x -> ((VmallocInfoEntry) x).pages()).sum();
        for (int i = 1; i < DAYS; i++) assertEquals(perDay, (pages[i] - pages[i - 1]) * 4096, 2, t.subject() + " day " + i);
    }

    @Test void caseYamlNamesHostAndDay() throws IOException {
        for (Truth t : FleetCaptureGenerator.readTruth(Path.of(out + ".truth.tsv"))) {
            Instant prev = null;
            for (Path d : days(t)) {
                Manifest m = Manifest.read(d.resolve("case.yaml"), "case.yaml");
                assertEquals(List.of(), m.problems());
                assertEquals(t.host(), m.hostFacts().get("hostname"));
                Instant at = Instant.parse(m.hostFacts().get("captured"));
                assertEquals(d.getFileName().toString(), t.host() + "-" + at.atZone(ZoneOffset.UTC).toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE));
                if (prev != null) assertEquals(86_400, at.getEpochSecond() - prev.getEpochSecond(), "one capture a day, same time");
                prev = at;
                // the kernel is stated only where no file gives it (the 6.12 template's dmesg has its banner)
                if (t.template().equals("lab-baseline-6.12-0")) assertTrue(!m.hostFacts().containsKey("kernel_release"));
                else assertEquals(t.kernel(), m.hostFacts().get("kernel_release"));
            }
        }
    }

    @Test void lastCaptureOfALeakingHostIsDiagnosedWithItsKind() throws Exception {
        Diagnoser d = new Diagnoser(KnowledgeBase.load(null), registry);
        for (Truth t : FleetCaptureGenerator.readTruth(Path.of(out + ".truth.tsv"))) {
            try (Capture c = CaptureOpener.open(out.resolve(t.lastCapture()))) {
                Report r = new Explainer(d.diagnose(c), "leakdx").explain();
                List<String> codes = r.verdicts().stream().map(Report.Verdict::code).toList();
                assertTrue(codes.contains(t.kind().code), t.lastCapture() + " (" + t.template() + ", " + t.kind() + "): " + codes);
                assertEquals(t.host(), r.host().get("hostname").value());
            }
        }
    }

    @Test void sameSeedSameBytes() throws IOException {
        Path again = tmp.resolve("again");
        Options o = Options.defaults(again);
        FleetCaptureGenerator.generate(new Options(o.casesDir(), again, HOSTS, DAYS, 2, 1.0, 7, LocalDate.of(2026, 11, 3)));
        List<Path> a = files(out), b = files(again);
        assertEquals(a.stream().map(p -> out.relativize(p)).toList(), b.stream().map(p -> again.relativize(p)).toList());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
        assertEquals(Arrays.asList(Files.readAllLines(Path.of(out + ".truth.tsv")).toArray()),
                Arrays.asList(Files.readAllLines(Path.of(again + ".truth.tsv")).toArray()));
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
