package dev.leakdx.report;

import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The HTML page's sections as small view models, one record per section (and per repeated row),
 * each rendered from a resource template fragment under {@code dev/leakdx/report/html/} by
 * {@link Template}'s placeholder substitution. The records hold values only (text, numbers,
 * anchors); the fragments hold the markup; a part that is shown or not, or that repeats, is a
 * fragment of its own, chosen or repeated here. {@link HtmlReport} builds every view from the
 * report in one place, in page order (so that citation anchors and the appendix's back links come
 * out as before). The budget drawings are computed in Java and laid out by the svg-* fragments
 * before they reach {@link BudgetView} as markup.
 */
final class HtmlView {
    private HtmlView() {}

    private static final Map<String, Template> FRAGMENTS = new ConcurrentHashMap<>();

    /** The fragment html/NAME.html filled with the given name/value pairs. */
    static String fill(String fragment, Object... kv) {
        Template t = FRAGMENTS.computeIfAbsent(fragment, f -> Template.resource("html/" + f + ".html"));
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) v.put((String) kv[i], kv[i + 1] == null ? "" : String.valueOf(kv[i + 1]));
        return t.fill(v);
    }

    /** One fragment per element, concatenated. */
    static <T> String each(List<? extends T> xs, Function<? super T, String> f) {
        StringBuilder b = new StringBuilder();
        for (T x : xs) b.append(f.apply(x));
        return b.toString();
    }

    static String render(Rendered r) { return r == null ? "" : r.render(); }

    interface Rendered { String render(); }

    // ------------------------------------------------------------------ shared pieces

    /** A link to a cited input range in the appendix. */
    record CiteLink(String anchor, String cite) implements Rendered {
        public String render() { return fill("cite-link", "anchor", anchor, "cite", cite); }
    }

    /** A verdict code: a link to its card, or the bare code when it has none ({@code anchor} null). */
    record CodeRef(String code, String anchor) implements Rendered {
        public String render() { return anchor == null ? fill("code-plain", "code", code) : fill("code-link", "anchor", anchor, "code", code); }
    }

    /** A byte figure with its count in data-bytes. */
    record Figure(long bytes, String text) implements Rendered {
        public String render() { return fill("figure", "bytes", bytes, "text", text); }
    }

    /** A severity badge. */
    record Badge(String severity, String label) implements Rendered {
        public String render() { return fill("badge", "sev", severity, "label", label); }
    }

    /** One citation in a list: the link, the fact read there, its context. */
    record CiteLine(CiteLink link, String fact, String context) implements Rendered {
        public String render() {
            return fill("cite-row", "link", link.render(), "fact", fact, "context", context.isEmpty() ? "" : fill("context", "text", context));
        }
    }

    /** A list of citations; past seven, all but the first six fold under "N more". */
    record CiteList(List<CiteLine> cites) implements Rendered {
        public String render() {
            if (cites.isEmpty()) return "";
            if (cites.size() <= 7) return fill("cites", "rows", each(cites, CiteLine::render), "more", "");
            return fill("cites", "rows", each(cites.subList(0, 6), CiteLine::render),
                    "more", fill("cites-more", "count", cites.size() - 6, "rows", each(cites.subList(6, cites.size()), CiteLine::render)));
        }
    }

    // ------------------------------------------------------------------ verdicts at a glance

    /** One row of the verdicts table. */
    record VerdictView(int rank, Badge badge, String code, String anchor, String title, CodeRef runnerUp, String summary, long bytes,
                       String memory, String confidence) implements Rendered {
        public String render() {
            return fill("verdict-row", "sev", badge.severity(), "rank", rank, "badge", badge.render(), "anchor", anchor, "code", code, "title", title,
                    "runnerUp", runnerUp == null ? "" : fill("runner-up", "code", runnerUp.render()), "summary", summary,
                    "dataBytes", bytes > 0 ? fill("attr-bytes", "bytes", bytes) : "", "memory", memory, "confidence", confidence);
        }
    }

    /** The verdicts section: the table, or why there is none. */
    record GlanceView(List<VerdictView> verdicts, boolean unreadable, int setAside, String legend) implements Rendered {
        public String render() {
            if (verdicts.isEmpty())
                return fill(unreadable ? "verdicts-unreadable" : "verdicts-none", "setAside",
                        setAside == 0 ? "" : fill("set-aside-count", "count", setAside, "noun", setAside == 1 ? "hypothesis was" : "hypotheses were"));
            return fill("verdicts", "legend", legend, "rows", each(verdicts, VerdictView::render));
        }
    }

    // ------------------------------------------------------------------ where memory went

    /** One line of a budget's table. */
    record BudgetRow(String kind, String mark, String label, Figure figure, String share, CiteLink source) implements Rendered {
        public String render() {
            return fill("budget-row", "kind", kind, "mark", mark, "label", label, "figure", figure.render(), "share", share, "source", HtmlView.render(source));
        }
    }

    /** One budget: its caption, its drawings (SVG markup from Java), the notes and the table. */
    record BudgetView(String id, String basis, String totalLabel, Figure total, CiteLink totalSource, boolean empty, String svg, List<String> unplaced,
                      Figure overSum, Figure overTotal, List<BudgetRow> rows) implements Rendered {
        public String render() {
            String body = empty ? fill("budget-empty") : fill("budget-body", "svg", svg,
                    "unplaced", unplaced.isEmpty() ? "" : fill("budget-unplaced", "list", String.join(", ", unplaced)),
                    "overflow", overSum == null ? "" : fill("budget-overflow", "sum", overSum.render(), "total", overTotal.render()),
                    "count", rows.size(), "rows", each(rows, BudgetRow::render));
            return fill("budget", "id", id, "basis", basis,
                    "total", total == null ? "" : fill("budget-total", "label", totalLabel, "figure", total.render(), "link", HtmlView.render(totalSource)),
                    "body", body);
        }
    }

    /** The budget section. */
    record MemoryView(List<BudgetView> budgets) implements Rendered {
        public String render() {
            return budgets.isEmpty() ? fill("memory-none") : fill("memory", "charts", each(budgets, BudgetView::render));
        }
    }

    // ------------------------------------------------------------------ verdicts in detail

    /** One item of evidence for or against, with its citations. */
    record EvidenceLine(boolean against, String weight, String text, String rule, CiteList cites) implements Rendered {
        public String render() {
            return fill("evidence-row", "sign", against ? "−" : "+", "weight", weight, "text", text,
                    "rule", rule.isEmpty() ? "" : fill("rule", "rule", rule), "cites", cites.render());
        }
    }

    /** A titled list of evidence (nothing when empty). */
    record EvidenceList(String title, String cls, List<EvidenceLine> items) implements Rendered {
        public String render() {
            return items.isEmpty() ? "" : fill("evidence", "title", title, "cls", cls, "rows", each(items, EvidenceLine::render));
        }
    }

    /** One capture to take next. */
    record NextCapture(String command, String why) implements Rendered {
        public String render() { return fill("next-row", "command", command, "why", why); }
    }

    static String nextCaptures(List<NextCapture> next) {
        return next.isEmpty() ? "" : fill("next", "rows", each(next, NextCapture::render));
    }

    /** One node of an explanation tree. */
    record TreeNode(String kind, String kindSlug, String text, String rule, CiteLink cite, String doc, boolean open, List<TreeNode> children) implements Rendered {
        public String render() {
            String head = fill("node-head", "kindSlug", kindSlug, "kind", kind, "text", text,
                    "rule", rule.isEmpty() ? "" : fill("node-rule", "rule", rule), "cite", cite == null ? "" : fill("node-cite", "link", cite.render()));
            if (children.isEmpty() && doc.isEmpty()) return fill("node-leaf", "head", head);
            return fill(open ? "node-open" : "node", "head", head, "doc", doc.isEmpty() ? "" : fill("node-doc", "doc", doc),
                    "children", children.isEmpty() ? "" : fill("node-children", "rows", each(children, TreeNode::render)));
        }
    }

    /** A verdict's explanation tree. */
    record TreeView(String id, String code, int size, TreeNode root) implements Rendered {
        public String render() { return fill("tree", "id", id, "code", code, "size", size, "root", root.render()); }
    }

    /** One figure in a card's number row. */
    sealed interface Num extends Rendered permits MemoryNum, PlainNum, ConfidenceNum, CodeNum {}

    record MemoryNum(long bytes, String memory) implements Num {
        public String render() { return fill("num-memory", "bytes", bytes, "memory", memory); }
    }

    record PlainNum(String label, String value) implements Num {
        public String render() { return fill("num", "label", label, "value", value); }
    }

    record ConfidenceNum(String legend, String value) implements Num {
        public String render() { return fill("num-confidence", "legend", legend, "value", value); }
    }

    record CodeNum(String label, CodeRef code) implements Num {
        public String render() { return fill("num-code", "label", label, "code", code.render()); }
    }

    /** One verdict's card: figures, summary, what it was read from, evidence, next captures, explanation. */
    record VerdictCard(String id, int rank, Badge badge, String code, String title, List<Num> nums, String summary, String subject, String rule,
                       CiteList basis, EvidenceList evidenceFor, EvidenceList evidenceAgainst, List<NextCapture> next, TreeView tree) implements Rendered {
        public String render() {
            return fill("verdict", "sev", badge.severity(), "id", id, "rank", rank, "badge", badge.render(), "code", code, "title", title,
                    "nums", each(nums, Num::render), "summary", summary,
                    "subject", subject.isEmpty() ? "" : fill("subject", "subject", subject),
                    "rule", rule.isEmpty() ? "" : fill("raised-by", "rule", rule),
                    "basis", basis.cites().isEmpty() ? "" : fill("basis", "cites", basis.render()),
                    "evidenceFor", evidenceFor.render(), "evidenceAgainst", evidenceAgainst.render(), "next", nextCaptures(next), "tree", HtmlView.render(tree));
        }
    }

    /** The evidence section. */
    record DetailsView(List<VerdictCard> verdicts) implements Rendered {
        public String render() {
            return fill("details", "none", verdicts.isEmpty() ? fill("details-none") : "", "cards", each(verdicts, VerdictCard::render));
        }
    }

    // ------------------------------------------------------------------ considered and set aside

    /** One hypothesis set aside: what refuted it first, then what spoke for it. */
    record ConsideredCard(String id, String code, String title, List<Num> nums, String summary, String confidence, String outrankedBy,
                          EvidenceList against, EvidenceList evidenceFor, List<NextCapture> next, TreeView tree) implements Rendered {
        public String render() {
            String why = !against.items().isEmpty() ? "" : outrankedBy.isEmpty() ? fill("why-odds", "confidence", confidence)
                    : fill("why-outranked", "code", outrankedBy);
            return fill("considered-card", "id", id, "code", code, "title", title, "nums", each(nums, Num::render), "summary", summary, "why", why,
                    "against", against.render(),
                    "forIt", evidenceFor.items().isEmpty() ? "" : fill("for-it", "count", evidenceFor.items().size(), "items", evidenceFor.render()),
                    "next", nextCaptures(next), "tree", HtmlView.render(tree));
        }
    }

    /** The set-aside section (nothing when nothing was set aside); the confidence legend when there is no verdict table to carry it. */
    record ConsideredView(List<ConsideredCard> cards, String legend) implements Rendered {
        public String render() {
            return cards.isEmpty() ? "" : fill("considered", "legend", legend == null ? "" : fill("legend", "legend", legend),
                    "cards", each(cards, ConsideredCard::render));
        }
    }

    // ------------------------------------------------------------------ findings, host, input, appendix

    /** One intermediate finding. */
    record FindingLine(String id, String code, Figure memory, String summary, String subject, String rule, CiteList cites) implements Rendered {
        public String render() {
            return fill("finding", "id", id, "code", code, "memory", memory == null ? "" : fill("finding-bytes", "bytes", memory.bytes(), "memory", memory.text()),
                    "summary", summary, "subject", subject.isEmpty() ? "" : fill("context", "text", subject),
                    "rule", rule.isEmpty() ? "" : fill("rule", "rule", rule), "cites", cites.render());
        }
    }

    record FindingsView(List<FindingLine> findings) implements Rendered {
        public String render() { return findings.isEmpty() ? "" : fill("findings", "rows", each(findings, FindingLine::render)); }
    }

    /** One host property with how it is known and where. */
    record HostRow(String property, String value, String how, CiteLink source) implements Rendered {
        public String render() { return fill("host-row", "property", property, "value", value, "how", how, "source", HtmlView.render(source)); }
    }

    record HostView(List<HostRow> rows) implements Rendered {
        public String render() { return rows.isEmpty() ? fill("host-none") : fill("host", "rows", each(rows, HostRow::render)); }
    }

    /** One input file: how it was read. */
    record FileRow(String file, String format, String lines, String skipped, long problems, boolean warn) implements Rendered {
        public String render() {
            return fill(warn ? "file-row-warn" : "file-row", "file", file, "format", format, "lines", lines, "skipped", skipped, "problems", problems);
        }
    }

    record MessageLine(String level, String text) implements Rendered {
        public String render() { return fill("message", "level", level, "text", text); }
    }

    record MissingRow(String input, String hint) implements Rendered {
        public String render() { return fill("missing-row", "input", input, "hint", hint); }
    }

    /** A crash command section no extractor reads. */
    record SectionRow(String cite, String command, long lines) implements Rendered {
        public String render() { return fill("unknown-row", "cite", cite, "command", command, "lines", lines); }
    }

    /** The input and diagnostics section. */
    record InputView(int files, String read, String skipped, List<FileRow> rows, List<MessageLine> messages, List<MissingRow> missing,
                     List<SectionRow> unknown) implements Rendered {
        public String render() {
            return fill("input", "files", files, "read", read, "skipped", skipped, "rows", each(rows, FileRow::render),
                    "messages", messages.isEmpty() ? "" : fill("messages", "rows", each(messages, MessageLine::render)),
                    "missing", missing.isEmpty() ? "" : fill("missing", "rows", each(missing, MissingRow::render)),
                    "unknown", unknown.isEmpty() ? "" : fill("unknown", "count", unknown.size(), "rows", each(unknown, SectionRow::render)));
        }
    }

    /** A place that cites an input line (a back link). */
    record BackLink(String href, String label) implements Rendered {
        public String render() { return fill("back-link", "href", href, "label", label); }
    }

    /** One cited input range in the appendix. */
    record InputLine(String id, String cite, String where, List<String> facts, String context, List<BackLink> citedBy) implements Rendered {
        public String render() {
            String f = facts.size() == 1 ? fill("fact", "fact", facts.get(0))
                    : facts.isEmpty() ? "" : fill("facts", "rows", each(facts, x -> fill("fact-item", "fact", x)));
            List<String> by = citedBy.stream().map(BackLink::render).toList();
            return fill("input-line", "id", id, "cite", cite, "where", where, "facts", f, "context", context.isEmpty() ? "" : fill("context", "text", context),
                    "citedBy", String.join(", ", by));
        }
    }

    /** The cited lines of one file. */
    record InputFile(String file, List<InputLine> lines) implements Rendered {
        public String render() { return fill("input-file", "file", file, "rows", each(lines, InputLine::render)); }
    }

    record AppendixView(List<InputFile> files) implements Rendered {
        public String render() { return fill("appendix", "files", files.isEmpty() ? fill("appendix-none") : each(files, InputFile::render)); }
    }

    /** Every section's view, built from one report in page order. */
    record Sections(GlanceView verdicts, MemoryView memory, DetailsView details, ConsideredView considered, FindingsView findings, HostView host,
                    InputView input, AppendixView appendix) {
        Map<String, String> render() {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("verdicts", verdicts.render());
            s.put("memory", memory.render());
            s.put("details", details.render());
            s.put("considered", considered.render());
            s.put("findings", findings.render());
            s.put("host", host.render());
            s.put("input", input.render());
            s.put("appendix", appendix.render());
            return s;
        }
    }
}
