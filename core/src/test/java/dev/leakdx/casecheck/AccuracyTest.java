package dev.leakdx.casecheck;

import dev.leakdx.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator of knowledge-base-docs/accuracy.md's tables, on two real cases and lab result rows. */
class AccuracyTest {
    @Test void casesAndLabRowsMakeTheTables(@TempDir Path tmp) throws IOException {
        Path cases = Files.createDirectories(tmp.resolve("cases"));
        for (String c : List.of("lab-baseline-proc", "lab-pfrag-proc"))
            Files.createSymbolicLink(cases.resolve(c), Path.of("cases", c).toAbsolutePath());
        Path lab = Files.createDirectories(tmp.resolve("results"));
        String head = "scenario\tkernel\tram\tsize_pct\ttruth_family\ttruth_bytes\texpected\thealthy\tmemtotal_kb\tleakdx_top\t"
                + "leakdx_bytes\tseverity\ttop_without_baseline\tbytes_without_baseline\tseverity_without_baseline\tmatch\tcase";
        Files.writeString(lab.resolve("sweep.tsv"), String.join("\n", head,
                "slab-kmalloc\t6.1\t2G\t1\tSLAB_LEAK\t20436224\tSLAB_LEAK\tno\t1995720\tSLAB_LEAK\t20525056\twarning\t(none)\t0\tinfo\tyes\tslab-kmalloc-6.1-2G/1",
                "slab-kmalloc\t6.1\t2G\t0.5\tSLAB_LEAK\t10218240\tSLAB_LEAK\tno\t1995720\t(none)\t0\tinfo\t(none)\t0\tinfo\tno\tslab-kmalloc-6.1-2G/0.5",
                "slab-kmalloc\t6.1\t2G\t0\tSLAB_LEAK\t0\t(none)\tyes\t1995720\t(none)\t0\tinfo\t(none)\t0\tinfo\tyes\tslab-kmalloc-6.1-2G/0",
                // a fixture that is also a case folder: only its run without proc-before/ is a new row
                "pfrag\t6.1\t2G\t6.6\tPAGE_FRAG_CACHE_LEAK\t134217728\tUNACCOUNTED_KERNEL_MEMORY\tno\t1995720\t"
                        + "UNACCOUNTED_KERNEL_MEMORY\t161480704\twarning\tUNACCOUNTED_KERNEL_MEMORY\t161480704\twarning\tyes\tlab-pfrag-proc", ""));
        List<Accuracy.Row> rows = new ArrayList<>(Accuracy.cases(TestKnowledge.diagnoser(), cases));
        rows.addAll(Accuracy.lab(lab, Set.of("lab-baseline-proc", "lab-pfrag-proc")));
        assertEquals(9, rows.size(), rows.toString());
        Accuracy.Row pfrag = rows.get(1);
        assertEquals("UNACCOUNTED_KERNEL_MEMORY", pfrag.family());
        assertTrue(pfrag.detected() && !pfrag.baseline());
        assertEquals(0.077, pfrag.sizeShare(), 0.001, "153 MiB of 1.9 GiB");
        Accuracy.Row oneSnapshot = rows.get(3);
        assertEquals("slab-kmalloc-6.1-2G/1 (no proc-before)", oneSnapshot.source());
        assertTrue(!oneSnapshot.baseline() && !oneSnapshot.detected());
        assertEquals(0.01, rows.get(2).sizeShare(), 1e-9, "size_pct 1 of MemTotal");
        assertEquals(1995720L * 1024, rows.get(2).ram());
        assertEquals("lab-pfrag-proc (no proc-before)", rows.get(8).source());
        String md = Accuracy.markdown(rows);
        assertTrue(md.contains("| SLAB_LEAK | 4 | 1 | 1.0% of 1.9 GiB (slab-kmalloc-6.1-2G/1) | - | slab-kmalloc-6.1-2G/1 (no proc-before) (got (none)); "
                + "slab-kmalloc-6.1-2G/0.5 (got (none)); slab-kmalloc-6.1-2G/0.5 (no proc-before) (got (none)) |"), md);
        assertTrue(md.contains("| UNACCOUNTED_KERNEL_MEMORY | 2 | 2 |"), md);
        assertTrue(md.contains("| 3 | 0 | - |"), "three healthy captures (a case and the 0% control twice), no false alarm:\n" + md);
    }

    @Test void aResultsFileWithoutTheColumnsIsAnError(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("old.tsv"), "scenario\tkernel\tram\tsize_pct\ttruth_bytes\tleakdx_top\tleakdx_bytes\tseverity\n");
        IOException e = assertThrows(IOException.class, () -> Accuracy.lab(tmp));
        assertTrue(e.getMessage().contains("no column 'expected'"), e.getMessage());
    }
}
