package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path tmp;

  /** Anything that would make the browser fetch something: the page must open offline, from anywhere. */
  static final Pattern EXTERNAL = Pattern.compile(
      "(?i)(<script[^>]+src=|<link[^>]+href=|<img[^>]+src=|@import|url\\(\\s*['\"]?(https?:|//)|(src|href)=['\"](https?:)?//)");

  static void assertSelfContained(String html) {
    Matcher m = EXTERNAL.matcher(html);
    assertFalse(m.find(), () -> "external reference: " + html.substring(Math.max(0, m.start() - 80), Math.min(html.length(), m.end() + 80)));
  }

  @Test
  void writesASelfContainedReportAndTheChartFiles() throws Exception {
    RunData run = SyntheticRun.broadcast(5, 5, 50, 6, true, 1);
    Report.Output out = Report.write(run, tmp);
    String html = Files.readString(out.html());
    assertSelfContained(html);
    assertTrue(html.contains("id=\"verdict\" class=\"verdict invalid\">INVALID<"), "verdict badge");
    assertTrue(html.contains("lost elements"), "lost card");
    for (String f : List.of("latency.svg", "rate.svg", "message-rate.svg", "node-messages.svg", "stable-latency.svg", "stable-by-time.svg")) {
      Path p = tmp.resolve(f);
      assertTrue(Files.size(p) > 1000, f);
      String svg = Files.readString(p);
      assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("xmlns='http://www.w3.org/2000/svg'"), f);
    }
    // the charts are inlined, each once, with page-unique ids
    assertEquals(6, count(html, "<svg "));
    Matcher ids = Pattern.compile("<svg id='(c\\d+)'").matcher(html);
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (ids.find()) assertTrue(seen.add(ids.group(1)), "duplicate svg id " + ids.group(1));
    // the lost element's op is listed and ringed on the latency chart
    assertTrue(html.contains("worst-stale"));
    assertTrue(html.contains("data-index="));
    assertTrue(html.contains("⚠ worst-stale"), "anomaly series in the latency legend");
    assertTrue(html.contains("⚠ lost"), "the lost element's acknowledged add is ringed");
    assertTrue(html.matches("(?s).*<span class=\"anom\">lost</span></td><td class=\"expl\">[^<]*</td><td class=\"num\">1<.*"),
        "one op behind the lost anomaly");
    // the data for the interactive part is there and parseable
    int a = html.indexOf("<script type=\"application/json\" id=\"report-data\">");
    int b = html.indexOf("</script>", a);
    Map<String, Object> data = glomers.protocol.Json.parseMap(html.substring(html.indexOf('>', a) + 1, b).replace("<\\/", "</"));
    assertEquals(run.messages().size(), ((List<?>) data.get("msgs")).size());
    assertEquals(1, ((List<?>) data.get("periods")).size());
    assertTrue(((List<?>) data.get("lanes")).containsAll(List.of("clients", "n0", "n4")));
  }

  @Test
  void aReportOfAnEmptyOrCrashedRunStillRenders() throws Exception {
    Map<String, Object> info = new java.util.LinkedHashMap<>();
    info.put("crash", "Expected node n0 to respond to an init message");
    Report.Output out = Report.write(new RunData("echo", Map.of(), new History(List.of()), List.of(), List.of(), info), tmp);
    String html = Files.readString(out.html());
    assertTrue(html.contains(">CRASHED<"));
    assertTrue(html.contains("Expected node n0 to respond to an init message"));
    assertTrue(html.contains("No network journal"));
    assertSelfContained(html);
  }

  @Test
  void aLargeSccIsFlaggedAsLikelyMaelstromTimeoutAndASmallOneIsNot() throws Exception {
    Op inv = new Op(-1, 1_000_000, OpType.INVOKE, 0, "txn", List.of(), null, null, false, null);
    Op ok = new Op(-1, 2_000_000, OpType.OK, 0, "txn", List.of(), null, null, false, null);
    for (int size : new int[] {300, 20}) {
      Map<String, Object> results = Map.of("valid?", true, "workload", Map.of("valid?", true, "largest-sccs", List.of(size)));
      Report.Output out = Report.write(new RunData("txn-list-append", results, History.of(inv, ok), List.of(),
          List.of("n0"), null), tmp.resolve("scc" + size));
      String html = Files.readString(out.html());
      assertEquals(size == 300, html.contains("would probably time out"), "size " + size);
    }
  }

  @Test
  void userTextIsEscaped() throws Exception {
    Op inv = new Op(-1, 1_000_000, OpType.INVOKE, 0, "echo", "</script><b>x</b>", null, null, false, null);
    Op ok = new Op(-1, 2_000_000, OpType.OK, 0, "echo", "</script><b>x</b>", null, null, false, null);
    Map<String, Object> results = Map.of("valid?", false, "workload", Map.of("valid?", false,
        "errors", List.of(Map.of("index", 1L, "time", 2_000_000L, "type", "ok", "process", 0L, "f", "echo", "value", "<i>evil</i>"))));
    Report.Output out = Report.write(new RunData("echo", results, History.of(inv, ok),
        List.of(new NetMessage(0, "c1", "n0", "</script>", 1_000_000, 1_500_000)), List.of("n0"), null), tmp);
    String html = Files.readString(out.html());
    assertFalse(html.contains("<b>x</b>"));
    assertFalse(html.contains("<i>evil</i>"));
    // the error hook, the JSON data and the main script: the "</script>" in the data was escaped
    assertEquals(3, count(html, "</script>"));
  }

  @Test
  void generationIsFastForAMediumRun() throws Exception {
    RunData run = SyntheticRun.broadcast(25, 25, 100, 20, false, 3); // challenge 3d's shape
    Report.write(run, tmp.resolve("warmup"));
    long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    Report.Output out = Report.write(run, tmp);
    long cpuMs = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    assertNotNull(out.html());
    // CPU time, not wall time: the test machine is shared. Generous bound; typical is a few hundred ms.
    assertTrue(cpuMs < 3000, "report took " + cpuMs + " ms of CPU");
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
    return n;
  }
}
