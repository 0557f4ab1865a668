package dev.mta.server.admin;

import dev.mta.queue.RecipientState;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The status page: one self-contained HTML document rendered on the server from a
 * {@link StatusReport}, with inline CSS and an inline SVG chart, no script and nothing fetched
 * from elsewhere (its Content-Security-Policy forbids it). Every text that came from outside
 * (replies of remote servers, the host name) is escaped.
 */
final class StatusPage {
    /** Only inline styles; no script, no fetch, no frame, no form except the login. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    // The chart's drawing units; the SVG scales to the page's width.
    private static final int BAR = 10;
    private static final int CHART_HEIGHT = 200;
    private static final int AXIS = 20;
    // A time label at every third full hour.
    private static final long LABEL_EVERY_SECONDS = 3 * 3600;

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222;background:#fafafa}
            h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid #ddd}
            section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:.2em 1em 1em;margin:1em 0}
            table{border-collapse:collapse}th,td{padding:.25em .8em;text-align:left}td.count,td.share,dd{font-variant-numeric:tabular-nums}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1.5em}dt{color:#555}dd{margin:0;font-weight:600}
            .delivered{fill:#2e7d32;background:#2e7d32}.deferred{fill:#f9a825;background:#f9a825}.bounced{fill:#c62828;background:#c62828}
            .legend span.swatch{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:middle}
            .bar{display:inline-block;height:.8em;background:#1565c0;vertical-align:middle}
            .axis{font-size:11px;fill:#666}ol li{margin:.2em 0}.reason{font-family:ui-monospace,monospace}
            .muted{color:#777}.row{display:grid;grid-template-columns:1fr 1fr;gap:1em}.row section{margin:0}
            """;

    private StatusPage() {
    }

    static String render(StatusReport report, String relayName) {
        StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // A glance that stays current while it is left open.
                .append("<meta http-equiv=\"refresh\" content=\"60\">")
                .append("<title>").append(escape(relayName)).append(" – relay status</title><style>").append(STYLE)
                .append("</style></head><body>\n");
        html.append("<header><h1>").append(escape(relayName)).append("</h1><p class=\"muted\">status at <time id=\"status-at\" datetime=\"")
                .append(report.at()).append("\">").append(TIME.format(report.at())).append("</time> · JSON at <code>/api/status</code></p></header>\n");
        html.append("<div class=\"row\">");
        queue(html, report);
        tls(html, report.deliveries());
        html.append("</div>\n");
        deliveries(html, report.deliveries());
        reasons(html, report.deliveries().topReasons());
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void queue(StringBuilder html, StatusReport report) {
        html.append("<section id=\"queue\"><h2>Queue</h2><dl><dt>Messages</dt><dd id=\"queue-messages\">")
                .append(report.queue().messages()).append("</dd><dt>Oldest waiting</dt><dd id=\"queue-oldest\">")
                .append(report.oldest().map(b -> escape(b.label())).orElse("none")).append("</dd></dl>\n");
        html.append("<table><thead><tr><th>Recipients</th><th>count</th></tr></thead><tbody>");
        for (RecipientState state : RecipientState.values()) {
            String name = state.name().toLowerCase(Locale.ROOT);
            html.append("<tr id=\"queue-").append(name).append("\"><th>").append(name).append("</th><td class=\"count\">")
                    .append(report.queue().total().count(state)).append("</td></tr>");
        }
        html.append("</tbody></table>\n");
        if (!report.queue().topReasons().isEmpty()) {
            html.append("<p>Deferred mail waits on:</p><ol id=\"waiting-on\">");
            report.queue().topReasons().forEach(r -> html.append("<li><span class=\"count\">").append(r.recipients())
                    .append("</span> <span class=\"reason\">").append(escape(r.reply())).append("</span></li>"));
            html.append("</ol>");
        }
        html.append("</section>\n");
    }

    private static void deliveries(StringBuilder html, DeliveryHistory.Snapshot history) {
        html.append("<section id=\"deliveries\"><h2>Deliveries, last 24 hours</h2><p>")
                .append("<span id=\"delivered-total\">").append(history.delivered()).append("</span> delivered, ")
                .append("<span id=\"deferred-total\">").append(history.deferred()).append("</span> deferred, ")
                .append("<span id=\"bounced-total\">").append(history.bounced()).append("</span> bounced")
                .append(" <span class=\"muted\">(recipients, per attempt, in ").append(history.bucketWidth().toMinutes())
                .append("-minute bars)</span></p>\n");
        List<DeliveryHistory.Counts> buckets = history.buckets();
        int max = Math.max(1, buckets.stream().mapToInt(DeliveryHistory.Counts::total).max().orElse(0));
        int width = buckets.size() * BAR;
        html.append("<svg id=\"deliveries-chart\" role=\"img\" aria-label=\"deliveries per ").append(history.bucketWidth().toMinutes())
                .append(" minutes\" viewBox=\"0 0 ").append(width).append(' ').append(CHART_HEIGHT + AXIS)
                .append("\" width=\"100%\" preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.append("<line x1=\"0\" y1=\"").append(CHART_HEIGHT).append("\" x2=\"").append(width).append("\" y2=\"").append(CHART_HEIGHT)
                .append("\" stroke=\"#999\"/>");
        // The current bucket is the rightmost, so the scale goes on the left.
        html.append("<text class=\"axis\" x=\"4\" y=\"12\">max ").append(max).append("</text>");
        for (int i = 0; i < buckets.size(); i++) {
            DeliveryHistory.Counts counts = buckets.get(i);
            int x = i * BAR;
            if (counts.start().getEpochSecond() % LABEL_EVERY_SECONDS == 0) {
                html.append("<text class=\"axis\" x=\"").append(x).append("\" y=\"").append(CHART_HEIGHT + AXIS - 4).append("\">")
                        .append(HOUR.format(counts.start())).append("</text>");
            }
            if (counts.total() == 0) {
                continue;
            }
            html.append("<g class=\"bucket\" data-start=\"").append(counts.start()).append("\"><title>")
                    .append(HOUR.format(counts.start())).append(" UTC: ").append(counts.delivered()).append(" delivered, ")
                    .append(counts.deferred()).append(" deferred, ").append(counts.bounced()).append(" bounced</title>");
            int base = CHART_HEIGHT;
            base = bar(html, "delivered", counts.delivered(), max, x, base);
            base = bar(html, "deferred", counts.deferred(), max, x, base);
            bar(html, "bounced", counts.bounced(), max, x, base);
            html.append("</g>");
        }
        html.append("</svg>\n<p class=\"legend\"><span class=\"swatch delivered\"></span>delivered")
                .append("<span class=\"swatch deferred\"></span>deferred<span class=\"swatch bounced\"></span>bounced</p></section>\n");
    }

    /** One segment of a stacked bar, drawn upwards from {@code base}; returns its top. */
    private static int bar(StringBuilder html, String kind, int count, int max, int x, int base) {
        if (count == 0) {
            return base;
        }
        int height = Math.max(1, Math.round((float) CHART_HEIGHT * count / max));
        int top = base - height;
        html.append("<rect class=\"").append(kind).append("\" data-count=\"").append(count).append("\" x=\"").append(x + 1)
                .append("\" y=\"").append(top).append("\" width=\"").append(BAR - 2).append("\" height=\"").append(height).append("\"/>");
        return top;
    }

    private static void tls(StringBuilder html, DeliveryHistory.Snapshot history) {
        html.append("<section id=\"tls\"><h2>How delivered mail was protected, last 24 hours</h2><table><thead><tr><th>TLS</th>")
                .append("<th>recipients</th><th>share</th><th></th></tr></thead><tbody>");
        for (TlsPosture posture : TlsPosture.values()) {
            int percent = history.percent(posture);
            html.append("<tr id=\"tls-").append(posture.key()).append("\"><th>").append(escape(posture.label()))
                    .append("</th><td class=\"count\">").append(history.tls().get(posture)).append("</td><td class=\"share\">")
                    .append(percent).append("%</td><td><span class=\"bar\" style=\"width:").append(percent * 3)
                    .append("px\"></span></td></tr>");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void reasons(StringBuilder html, List<DeliveryHistory.ReasonCount> reasons) {
        html.append("<section id=\"reasons\"><h2>Top deferral reasons, last 24 hours</h2>");
        if (reasons.isEmpty()) {
            html.append("<p id=\"no-deferrals\" class=\"muted\">No deferrals.</p>");
        } else {
            html.append("<ol id=\"deferral-reasons\">");
            reasons.forEach(r -> html.append("<li><span class=\"count\">").append(r.count()).append("</span> <span class=\"reason\">")
                    .append(escape(r.reason())).append("</span></li>"));
            html.append("</ol>");
        }
        html.append("</section>\n");
    }

    /** Text for HTML content and attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
