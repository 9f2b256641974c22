package dev.leakdx.casecheck;

import dev.leakdx.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator of knowledge-base-docs/accuracy.md's tables, on two real cases and lab result rows. */
class AccuracyTest {
    @Test void casesAndLabRowsMakeTheTables(@TempDir Path tmp) throws IOException {
        Path cases = Files.createDirectories(tmp.resolve("cases"));
        for (String c : List.of("lab-baseline-proc", "lab-pfrag-proc"))
            Files.createSymbolicLink(cases.resolve(c), Path.of("src/test/resources/cases", c).toAbsolutePath());
        Path lab = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(lab.resolve("sweep.tsv"), String.join("\n",
                "scenario\tkernel\tram\tsize_pct\ttruth_bytes\tleakdx_top\tleakdx_bytes\tseverity",
                "slab_leak-1pct\t6.1.0\t2147483648\t1.0\t21474836\tSLAB_LEAK\t23000000\twarning",
                "slab_leak-0.5pct\t6.1.0\t2147483648\t0.5\t10737418\t(none)\t0\t",
                "healthy-idle\t6.1.0\t2147483648\t\t0\t(none)\t0\t", ""));
        List<Accuracy.Row> rows = new ArrayList<>(Accuracy.cases(TestKnowledge.diagnoser(), cases));
        rows.addAll(Accuracy.lab(lab));
        assertEquals(5, rows.size());
        Accuracy.Row pfrag = rows.get(1);
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", pfrag.family());
        assertTrue(pfrag.detected() && !pfrag.baseline());
        assertEquals(0.077, pfrag.sizeShare(), 0.001, "153 MiB of 1.9 GiB");
        String md = Accuracy.markdown(rows);
        assertTrue(md.contains("| SLAB_LEAK | 2 | 1 | - | 1.0% of 2 GiB (sweep.tsv:slab_leak-1pct) | sweep.tsv:slab_leak-0.5pct (got (none)) |"), md);
        assertTrue(md.contains("| 2 | 0 | - |"), "two healthy captures, no false alarm:\n" + md);
    }
}
