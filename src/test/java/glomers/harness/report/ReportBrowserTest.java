package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.RunSettings;
import glomers.harness.TestBins;
import glomers.harness.browser.Chromium;
import glomers.harness.history.Op;
import glomers.mutants.broadcast.BroadcastMutants;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens reports in headless Chromium ({@link Chromium}), offline, and checks what a person would see: the verdict,
 * the charts, the timeline and the message-flow diagram, the anomaly list, no script exception or console error, and a
 * screenshot that is not blank. Skipped with a one-line reason where Chromium is not installed; under {@code CI=true}
 * a missing Chromium fails instead ({@code .ci/run} installs the Debian package {@code chromium} when it can).
 */
@RunSettings(finalQuietMs = 1000) // the real run is a node that forgets values: lost after any quiet
class ReportBrowserTest {
  @TempDir Path tmp;

  @Test
  void realRunReportRendersWithoutScriptErrors() throws Exception {
    try (Chromium c = Chromium.start("the browser check of a real run's report.html", tmp)) {
      HarnessRun run = HarnessRun.of("-w", "broadcast", "--bin", TestBins.forMain(BroadcastMutants.class, "forget").toString(),
          "--node-count", "3", "--time-limit", "3", "--rate", "20", "--latency", "10", "--seed", "5",
          "--store", tmp.resolve("store").toString());
      assertEquals(1, run.result().exitCode(), "a node that forgets values is invalid:\n" + run.out());
      Path html = run.result().storeDir().resolve("report.html");
      c.navigate(html.toUri().toString());

      assertEquals(List.of(), c.errors(), "no script exception or console error");
      assertEquals("true", c.evaluate("document.body.dataset.jsOk"), "the page script ran to the end");
      assertEquals("", c.evaluate("document.getElementById('js-errors').textContent"));
      assertEquals("INVALID", c.evaluate("document.getElementById('verdict').textContent"));
      assertTrue(c.count("[id^=chart-] svg") >= 3, "charts drawn inline");
      assertEquals(false, c.evaluate("document.body.textContent.includes('could not be drawn')"), "no chart failed");
      assertTrue(c.count("#timeline rect") > 0, "operation bars in the window");
      assertTrue(c.count("#lamport line") > 0, "message arrows in the message-flow window");
      assertTrue(String.valueOf(c.evaluate("document.getElementById('lamport-info').textContent"))
          .matches("\\d+ messages in this window.*"), "window summary");
      assertEquals(true, c.evaluate("[...document.querySelectorAll('th')].some(t => t.textContent === 'anomaly')"),
          "the anomaly list");
      assertTrue(c.count("tr") > 3, "the anomaly list has rows");

      c.saveScreenshot("report-real-run.png");
      assertEquals(List.of(), c.errors(), "still no errors after the screenshot");
    }
  }

  @Test
  void syntheticLargeRunFocusesTheNamedOp() throws Exception {
    try (Chromium c = Chromium.start("the browser check of a 25-node report", tmp)) {
      RunData run = SyntheticRun.broadcast(25, 25, 100, 6, true, 5);
      Report.Output out = Report.write(run, tmp.resolve("run"));
      Op lostAck = run.history().ops().stream()
          .filter(o -> o.isOk() && "broadcast".equals(o.f()) && Long.valueOf(0).equals(o.value())).findFirst().orElseThrow();
      c.navigate(out.html().toUri() + "#op=" + lostAck.index());

      assertEquals(List.of(), c.errors());
      assertEquals("true", c.evaluate("document.body.dataset.jsOk"));
      assertEquals(true, c.evaluate("[...document.querySelectorAll('#lamport text')].some(t => t.textContent === 'n24')"),
          "25 node lanes");
      assertTrue(c.count("#timeline [data-focus=true]") > 0, "#op=N outlines that op");
      c.saveScreenshot("report-synthetic-25.png");
    }
  }

}
