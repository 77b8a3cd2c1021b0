package glomers.harness.serve;

import glomers.harness.report.Html;
import glomers.harness.serve.StoredRun.Status;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The store's index page: one table row per run, newest first, grouped runs under a header row of their group.
 * Two selects filter the rows by workload and verdict (kept in the URL's fragment, so they survive the page's own
 * refresh); while a run is in progress the page reloads itself every {@value #REFRESH_SECONDS} seconds.
 */
public final class IndexPage {
  static final int REFRESH_SECONDS = 5;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private IndexPage() {}

  public static String render(String storeName, List<StoredRun> runs) {
    return render(storeName, runs, Map.of());
  }

  /** As above; a group with a {@code seeds.json} gets its seed count, failing seeds and a link to the file. */
  public static String render(String storeName, List<StoredRun> runs, Map<String, StoreScan.SeedGroup> seedGroups) {
    boolean running = runs.stream().anyMatch(r -> r.status() == Status.RUNNING);
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    if (running) h.raw("<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">");
    h.raw("<title>").text("runs in " + storeName).raw("</title><style>").raw(CSS).raw("</style></head><body>");
    h.raw("<h1>").text("Runs in " + storeName).raw("</h1>");
    h.raw("<p class=\"summary\">").text(summary(runs)).raw(running ? " · refreshing every " + REFRESH_SECONDS + " s while a run is in progress" : "").raw("</p>");
    filters(h, runs);
    h.raw("<table id=\"runs\"><thead><tr><th>start</th><th>workload</th><th>nodes</th><th>flags</th><th>verdict</th>"
        + "<th>ops</th><th>availability</th><th>servers msgs/op</th><th>latency p50 · max</th><th>duration</th>"
        + "<th>files</th></tr></thead><tbody>");
    String group = null;
    for (StoredRun r : runs) {
      if (r.group() != null && !r.group().equals(group)) {
        long n = runs.stream().filter(o -> r.group().equals(o.group())).count();
        h.raw("<tr class=\"group\" data-workload=\"").text(r.workload()).raw("\"><td colspan=\"11\">group ")
            .text(r.group()).raw(" · ").text(n + (n == 1 ? " run" : " runs"));
        StoreScan.SeedGroup seeds = seedGroups.get(r.group());
        if (seeds != null) {
          h.raw(" · ").text(seeds.seeds() + " seeds, " + seeds.failing().size() + " failing"
              + (seeds.failing().isEmpty() ? "" : " (seeds " + String.join(", ", seeds.failing().stream().map(String::valueOf).toList()) + ")"))
              .raw(" · <a href=\"").text(href(seeds.summaryPath())).raw("\">seeds.json</a>");
        }
        h.raw("</td></tr>");
      }
      group = r.group();
      row(h, r);
    }
    h.raw("</tbody></table>");
    if (runs.isEmpty()) h.raw("<p id=\"empty\">No runs yet: <code>target/launcher test …</code> writes one here.</p>");
    h.raw("<script>").raw(SCRIPT).raw("</script></body></html>");
    return h.toString();
  }

  private static String summary(List<StoredRun> runs) {
    StringBuilder sb = new StringBuilder(runs.size() + (runs.size() == 1 ? " run" : " runs"));
    for (Status s : Status.values()) {
      long n = runs.stream().filter(r -> r.status() == s).count();
      if (n > 0) sb.append(" · ").append(n).append(' ').append(s.label());
    }
    return sb.toString();
  }

  private static void filters(Html h, List<StoredRun> runs) {
    h.raw("<p class=\"filters\"><label>workload <select id=\"f-workload\"><option value=\"\">all</option>");
    for (String w : new TreeSet<>(runs.stream().map(StoredRun::workload).toList())) {
      h.raw("<option>").text(w).raw("</option>");
    }
    h.raw("</select></label> <label>verdict <select id=\"f-status\"><option value=\"\">all</option>");
    for (Status s : Status.values()) h.raw("<option>").text(s.label()).raw("</option>");
    h.raw("</select></label> <span id=\"shown\"></span></p>");
  }

  private static void row(Html h, StoredRun r) {
    String link = r.reportLink();
    h.raw("<tr class=\"run").raw(r.group() != null ? " grouped" : "").raw("\" data-workload=\"").text(r.workload())
        .raw("\" data-status=\"").text(r.status().label()).raw("\">");
    String target = link != null ? href(link) : href(r.path()) + "/";
    h.raw("<td><a class=\"run-link\" href=\"").text(target).raw("\">").text(WHEN.format(r.start())).raw("</a>");
    h.raw("</td><td>").text(r.workload()).raw("</td><td class=\"num\">").text(r.nodeCount() == null ? "" : r.nodeCount())
        .raw("</td><td><code>").text(r.flags()).raw("</code></td>");
    h.raw("<td><span class=\"verdict ").text(r.status().label()).raw("\">").text(r.status().label().toUpperCase(Locale.ROOT))
        .raw("</span>");
    if (r.note() != null) h.raw(" <span class=\"note\">").text(r.note()).raw("</span>");
    h.raw("</td>");
    StoredRun.Figures f = r.figures();
    cell(h, f.ops() == null ? "" : String.valueOf(f.ops()));
    cell(h, fmt(f.availability(), 4));
    cell(h, fmt(f.serversMsgsPerOp(), 2));
    cell(h, f.latencyMedianMs() == null ? "" : fmt(f.latencyMedianMs(), 0) + " · " + fmt(f.latencyMaxMs(), 0) + " ms");
    cell(h, r.durationSeconds() == null ? "" : fmt(r.durationSeconds(), 1) + " s");
    h.raw("<td class=\"files\">");
    for (String file : r.files()) {
      h.raw("<a href=\"").text(href(r.path() + "/" + file)).raw("\">").text(file).raw("</a> ");
    }
    h.raw("</td></tr>");
  }

  private static void cell(Html h, String s) {
    h.raw("<td class=\"num\">").text(s).raw("</td>");
  }

  private static String fmt(Double v, int decimals) {
    return v == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A store-relative path as a URL path: each segment percent-encoded. */
  static String href(String path) {
    StringBuilder sb = new StringBuilder("/");
    String[] segs = path.split("/");
    for (int i = 0; i < segs.length; i++) {
      if (i > 0) sb.append('/');
      sb.append(java.net.URLEncoder.encode(segs[i], java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static final String CSS = """
      body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
      table{border-collapse:collapse}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
      th{background:#f4f4f4}td.num{text-align:right;white-space:nowrap}code{font-size:12px}
      .verdict{font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff}
      .valid{background:#1a7f37}.invalid{background:#cf222e}.unknown{background:#bf8700}
      .crashed{background:#6e4c9e}.running{background:#0969da}.incomplete{background:#888}
      .note{color:#555;font-size:12px}.files a{font-size:12px;margin-right:4px}
      tr.group td{background:#eef;font-weight:bold}tr.grouped td:first-child{padding-left:1.5em}
      """;

  private static final String SCRIPT = """
      (function(){
        var w=document.getElementById('f-workload'), s=document.getElementById('f-status');
        var parts=decodeURIComponent(location.hash.slice(1)).split('&');
        parts.forEach(function(p){var kv=p.split('='); if(kv[0]==='workload') w.value=kv[1]; if(kv[0]==='verdict') s.value=kv[1];});
        function apply(){
          var shown=0, rows=document.querySelectorAll('#runs tbody tr');
          rows.forEach(function(tr){
            var ok=(!w.value||tr.dataset.workload===w.value)&&(tr.classList.contains('group')||!s.value||tr.dataset.status===s.value);
            tr.style.display=ok?'':'none'; if(ok&&tr.classList.contains('run')) shown++;
          });
          document.getElementById('shown').textContent=shown+' shown';
          var h=[]; if(w.value) h.push('workload='+w.value); if(s.value) h.push('verdict='+s.value);
          history.replaceState(null,'',h.length?'#'+h.join('&'):location.pathname);
        }
        w.onchange=apply; s.onchange=apply; apply();
        document.body.dataset.jsOk='true';
      })();
      """;
}
