package dev.leakdx.extract;

import dev.leakdx.facts.PageTypesRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** page-types -l / -L lists (PageTypesListReader), aggregated into summary-shaped rows. */
class PageTypesListExtractionTest {
    @Test void lettersDecodeToKpfBitsWhateverTheStringLength() {
        // founding case 2 trims the strings; 6.x prints 44+ letters: the letter decides the bit
        assertEquals(0x40507cL, PageTypesListReader.decode("__RUDlA____a_b___t__"));
        assertEquals(0x40507cL, PageTypesListReader.decode("__RUDlA_____a_b_______t___"));
        assertEquals(0x401000L, PageTypesListReader.decode("____________a_________t______________________"));
        assertEquals(1L << 26, PageTypesListReader.decode("__________________________g__________________"));
    }

    @Test void listWithItsSummaryKeepsTheSummaryOnly() {
        Samples.Result r = Samples.extract("page-types-l-with-summary.txt");
        List<PageTypesRow> rows = r.of(PageTypesRow.class);
        assertEquals(1, rows.size(), "the appended summary counts the same pages as the list");
        assertEquals(0x400L, rows.get(0).flags());
        assertEquals(1024, rows.get(0).pages());
        assertEquals(10, rows.get(0).provenance().firstLine());
        assertEquals(0, r.stats("page-types-l-with-summary.txt").skipped);
    }

    @Test void listAloneIsAggregatedByFlags() {
        Samples.Result r = Samples.extractText(tmp(), "page-types-l.txt",
                "offset\tlen\tflags\n10000\t1\t__RUDlA____a_b___t__\n10001\t1fff\t____a___t__\n12000\t1\t__RUDlA____a_b___t__\n12001\t1fff\t____a___t__\n");
        PageTypesRow heads = r.one(PageTypesRow.class, p -> p.flags() == 0x40507cL);
        PageTypesRow tails = r.one(PageTypesRow.class, p -> p.flags() == 0x401000L);
        assertEquals(2, heads.pages());
        assertEquals(2 * 0x1fff, tails.pages());
        assertTrue(heads.unmappedThpHead() && tails.unmappedThpTail());
        assertEquals(2, heads.provenance().firstLine());
        assertEquals(4, heads.provenance().lastLine());
    }

    @Test void listEachWithVoffsetAndAnUnknownLetter() {
        Samples.Result r = Samples.extract("page-types-L-pid.txt");
        assertEquals(1, r.one(PageTypesRow.class, p -> p.unmappedThpHead()).pages());
        assertEquals(2, r.one(PageTypesRow.class, p -> p.unmappedThpTail()).pages());
        assertEquals(1, r.stats("page-types-L-pid.txt").skipped);
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.line() == 5), r.diagnostics().toString());
    }

    private static java.nio.file.Path tmp() {
        try {
            return java.nio.file.Files.createTempDirectory("pt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
