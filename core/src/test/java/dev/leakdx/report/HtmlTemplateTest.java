package dev.leakdx.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML page's template and view model: placeholders filled, text escaped, markup kept, nothing left over. */
class HtmlTemplateTest {
    @Test
    void thePageTemplateHasOnePlaceholderPerViewModelField() {
        assertEquals(List.of("scriptHash", "tool", "capture", "css", "whenWhere", "meta", "nav", "verdicts", "memory", "details", "considered",
                "findings", "host", "input", "appendix", "schema", "script"), List.copyOf(HtmlReport.PAGE.names()));
    }

    @Test
    void textIsEscapedMarkupIsKeptAndEveryPlaceholderMustBeFilled() {
        Map<String, String> v = new LinkedHashMap<>();
        for (String n : HtmlReport.PAGE.names()) v.put(n, "");
        v.put("capture", "<db & 'x'>");
        v.put("nav", "<a href=\"#verdicts\">Verdicts</a>");
        String page = HtmlReport.PAGE.fill(v);
        assertTrue(page.contains("<title>leakdx: &lt;db &amp; &#39;x&#39;&gt;</title>"), page);
        assertTrue(page.contains("<span class=\"capture\">&lt;db &amp; &#39;x&#39;&gt;</span>"), page);
        assertTrue(page.contains("<nav class=\"toc\"><a href=\"#verdicts\">Verdicts</a></nav>"), page);
        assertFalse(page.contains("{{"), page);
        v.remove("meta");
        assertEquals("page.html: no value for {{meta}}", assertThrows(IllegalArgumentException.class, () -> HtmlReport.PAGE.fill(v)).getMessage());
        v.put("meta", "");
        v.put("extra", "");
        assertEquals("page.html: no placeholder for extra", assertThrows(IllegalArgumentException.class, () -> HtmlReport.PAGE.fill(v)).getMessage());
    }

    @Test
    void everyCaseRendersWithNothingLeftOfTheTemplate() throws Exception {
        int n = 0;
        for (var e : AllCases.reports().entrySet()) {
            String html = HtmlReport.render(e.getValue());
            assertFalse(html.contains("{{"), e.getKey());
            assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"), e.getKey());
            assertTrue(html.endsWith("</main>\n<script>" + HtmlReport.SCRIPT + "</script>\n</body>\n</html>\n"), e.getKey());
            assertTrue(html.contains("<style>\n" + HtmlReport.CSS + "</style>\n"), e.getKey());
            // the sections in page order, each once
            int last = -1;
            for (String id : List.of("id=\"verdicts\"", "id=\"memory\"", "id=\"details\"", "id=\"host\"", "id=\"input\"", "id=\"input-lines\"")) {
                int at = html.indexOf("<section " + id);
                assertTrue(at > last, e.getKey() + ": " + id);
                assertEquals(at, html.lastIndexOf("<section " + id), e.getKey() + ": " + id + " twice");
                last = at;
            }
            n++;
        }
        assertTrue(n > 100, "cases: " + n);
    }
}
