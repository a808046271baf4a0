package org.neurostream.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.neurostream.status.StatusView.DeliveryRow;
import org.neurostream.status.StatusView.ResultRow;
import org.neurostream.status.StatusView.SeriesRow;

/**
 * Renders a {@link StatusView.Snapshot} as one self-contained HTML page (no script, no external resources), so it
 * works behind any proxy and in any browser. Everything shown is escaped.
 */
public final class StatusPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private StatusPage() {
    }

    public static String render(StatusView.Snapshot view, Instant now) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"15\">")
                .append("<title>NeuroStream status</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em}")
                .append("h2{font-size:1.1em;margin-top:1.6em}table{border-collapse:collapse;font-size:.85em}")
                .append("th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}")
                .append("th{background:#eef}td.uid{font-family:monospace;font-size:.9em}")
                .append(".ANALYSED,.DELIVERED,.ALREADY_PRESENT{color:#064}.REJECTED,.FAILED{color:#a00}")
                .append(".NO_PRIOR,.RETRYING{color:#850}.empty{color:#777;font-style:italic}")
                .append(".key-image{color:#777;font-size:.85em}</style></head><body>\n")
                .append("<h1>NeuroStream status</h1>\n<p>As of ").append(TIME.format(now)).append("; ")
                .append(view.eventsRead()).append(" events read. Machine-made results, not for clinical use. ")
                .append("No patient names or ids are shown.</p>\n");

        html.append("<h2 id=\"studies\">Recent studies</h2>\n");
        table(html, "studies-table", List.of("Study UID", "Series UID", "Instances", "Door", "First instance",
                "Complete"), view.series(), (SeriesRow s) -> List.of(uid(s.studyUid()), uid(s.seriesUid()),
                text(String.valueOf(s.instances())), text(s.door()), text(time(s.firstReceivedAtMillis())),
                text(time(s.completedAtMillis()))));

        html.append("<h2 id=\"pairing\">Pairing outcomes</h2>\n");
        table(html, "pairing-table", List.of("Follow-up study", "Series", "Kind", "Outcome", "Prior study",
                "Interval (days)", "Reason"), view.results(), (ResultRow r) -> List.of(uid(r.studyUid()),
                uid(r.seriesUid()), text(r.seriesKind()), cell(r.status(), r.status()), uid(r.priorStudyUid()),
                text(r.intervalDays() == null ? "" : String.valueOf(r.intervalDays())), text(r.reason())));

        html.append("<h2 id=\"results\">Results</h2>\n");
        List<ResultRow> analysed = view.results().stream().filter(r -> "ANALYSED".equals(r.status())).toList();
        table(html, "results-table", List.of("Result", "Follow-up series", "P(decline)", "New lesions",
                "PBVC", "Models", "Supersedes", "Key image"), analysed, (ResultRow r) -> List.of(uid(r.resultId()),
                uid(r.seriesUid()), text(r.pDecline() == null ? "" : String.format(Locale.ROOT, "%.3f", r.pDecline())),
                text(r.newLesionCount() == null ? "" : String.format(Locale.ROOT, "%d (%.2f ml)", r.newLesionCount(),
                        r.newLesionVolumeMl())),
                text(r.pbvcPercent() == null ? "" : String.format(Locale.ROOT, "%+.2f %%", r.pbvcPercent())),
                text(String.join(", ", r.models())), uid(r.supersedes()),
                // Slot for the key-image thumbnail: filled once the sink writes key images.
                "<td class=\"key-image\">key image: not produced yet</td>"));

        html.append("<h2 id=\"deliveries\">Delivery status</h2>\n");
        table(html, "deliveries-table", List.of("Result", "Target", "Outcome", "Attempt", "Detail", "At"),
                view.deliveries(), (DeliveryRow d) -> List.of(uid(d.resultId()), text(d.target()),
                cell(d.outcome(), d.outcome()), text(String.valueOf(d.attempt())), text(d.detail()),
                text(time(d.atMillis()))));
        return html.append("</body></html>\n").toString();
    }

    private static <T> void table(StringBuilder html, String id, List<String> headings, List<T> rows,
            Function<T, List<String>> cells) {
        html.append("<table id=\"").append(id).append("\"><thead><tr>");
        for (String h : headings) {
            html.append("<th>").append(escape(h)).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        if (rows.isEmpty()) {
            html.append("<tr><td class=\"empty\" colspan=\"").append(headings.size()).append("\">none yet</td></tr>\n");
        }
        for (T row : rows) {
            html.append("<tr>");
            cells.apply(row).forEach(html::append);
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static String text(String value) {
        return "<td>" + escape(value) + "</td>";
    }

    private static String uid(String value) {
        return "<td class=\"uid\">" + escape(value) + "</td>";
    }

    private static String cell(String cssClass, String value) {
        return "<td class=\"" + escape(cssClass) + "\">" + escape(value) + "</td>";
    }

    private static String time(long millis) {
        return millis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
