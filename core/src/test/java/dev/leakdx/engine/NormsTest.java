package dev.leakdx.engine;

import dev.leakdx.facts.Units;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The norm model of rules/norms.yaml: a knee with a second share, and information under N times the norm. */
class NormsTest {

    private static final String YAML = """
            version: 1
            severity:
              warning: {share: 0.05, bytes: 4 GiB}
              critical: {share: 0.25, bytes: 32 GiB}
            norms:
              - key: kneed
                normal: {base: 64 MiB, share: 0.025, knee: 16 GiB, share_above: 0.01}
                severity: {warning: {share: 0.05, bytes: 4 GiB, above_norm: 3}, critical: {share: 0.25, bytes: 16 GiB}}
                status: measured
              - key: linear
                normal: {base: 32 MiB, share: 0.0025}
                status: measured
            """;

    private static Norm norm(String key) throws Exception {
        return Norms.parse(YAML, "test.yaml").stream().filter(n -> n.key().equals(key)).findFirst().orElseThrow();
    }

    /** A colon in an unquoted value is a YAML error: the message names the file, line and column, as a DRL error does. */
    @Test void aMalformedNormsFileSaysWhere() {
        String text = "version: 1\nnorms:\n  - key: Percpu\n    what: meminfo Percpu (4.19+: a note)\n";
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Norms.parse(text, "my-rules/norms.yaml"));
        assertTrue(e.getMessage().startsWith("my-rules/norms.yaml:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("mapping values are not allowed here"), e.getMessage());
    }

    @Test void theShareDropsAboveTheKnee() throws Exception {
        Norm n = norm("kneed");
        // 4 GiB: 64 MiB + 2.5% of 4 GiB = 166.4 MiB
        assertEquals(64 * Units.MiB + (long) (0.025 * 4 * Units.GiB), n.limit(4 * Units.GiB));
        // 512 GiB: 64 MiB + 2.5% of 16 GiB + 1% of 496 GiB
        assertEquals(64 * Units.MiB + (long) (0.025 * 16 * Units.GiB) + (long) (0.01 * 496 * Units.GiB), n.limit(512 * Units.GiB));
        assertTrue(n.normText(512 * Units.GiB).contains("2.5% of the first 16 GiB of RAM + 1% of the rest"), n.normText(512 * Units.GiB));
        // without a knee the share is linear, and share_above defaults to share
        Norm l = norm("linear");
        assertEquals(32 * Units.MiB + (long) (0.0025 * 64 * Units.GiB), l.limit(64 * Units.GiB));
        assertEquals(0, l.knee());
        assertEquals(0.0025, l.shareAbove());
    }

    @Test void underThreeTimesTheNormIsInformation() throws Exception {
        Norm n = norm("kneed");
        long ram = 3_869_000L * 1024;               // healthy-pcp-006-vm4g's MemTotal (3.69 GiB)
        long sunreclaim = 325_212L * 1024;           // about its SUnreclaim (317.6 MiB, 8.4% of RAM): over the 5% scale
        assertTrue(n.exceeds(sunreclaim, ram));
        assertEquals("info", n.severity(sunreclaim, ram), "2.0x the norm stays information");
        assertEquals("warning", n.severity(3 * n.limit(ram) + 1, ram));
        // RAM unknown: bytes alone, the multiple cannot be taken
        assertEquals("info", n.severity(sunreclaim, -1));
        assertEquals("warning", n.severity(5 * Units.GiB, -1));
        assertTrue(n.scaleText().startsWith("information under 3.0x the norm, then warning from 5%"), n.scaleText());
        // a norm without above_norm keeps the plain scale
        Norm l = norm("linear");
        assertEquals("warning", l.severity(6 * Units.GiB / 100, Units.GiB));
    }

    @Test void theShippedNormsAreMeasured() throws Exception {
        List<Norm> all = Norms.parse(Files.readString(Path.of("rules/norms.yaml")), "rules/norms.yaml");
        for (String key : List.of("SUnreclaim", "slab cache", "VmallocUsed", "vmalloc caller", "KernelStack", "PageTables",
                "Shmem", "Percpu", "budget gap", "unmapped anon", "hugetlb idle")) {
            Norm n = all.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
            assertEquals("measured", n.status(), key);
            assertTrue(n.sources().stream().anyMatch(s -> s.contains("norms-corpus.md")), key + " cites the corpus");
        }
        Norm su = all.stream().filter(x -> x.key().equals("SUnreclaim")).findFirst().orElseThrow();
        assertEquals(473.6, su.limit(16 * Units.GiB) / (double) Units.MiB, 0.05);
    }
}
