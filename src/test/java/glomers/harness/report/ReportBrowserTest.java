package glomers.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import glomers.harness.history.Op;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a generated report in headless Chromium, offline, and checks what a person would see: the verdict, and that
 * the page's script ran to the end without errors and drew the timeline and the message-flow diagram. Skipped, with a
 * one-line reason, where Chromium is not installed; under {@code CI=true} a missing Chromium fails instead ({@code .ci/run}
 * installs the Debian package {@code chromium} when it can), so CI never passes without opening the report.
 */
class ReportBrowserTest {
  @TempDir Path tmp;

  static String chromium() {
    String env = System.getenv("CHROMIUM");
    if (env != null && new File(env).canExecute()) return env;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
        File f = new File(dir, name);
        if (f.canExecute()) return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** The Chromium binary, or a skip with {@code why} (a failure under {@code CI=true}). */
  static String requireChromium(String why) {
    String bin = chromium();
    if (bin == null && "true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail("CI=true but no chromium on PATH (set CHROMIUM or apt-get install -y chromium)");
    }
    assumeTrue(bin != null, "chromium not installed (apt-get install -y chromium): skipping " + why);
    return bin;
  }

  /** Runs headless Chromium on {@code url} with extra args; returns stdout. */
  static String chromium(String bin, Path profile, String url, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void reportRendersInChromiumWithoutScriptErrors() throws Exception {
    String bin = requireChromium("the browser check of report.html");
    RunData run = SyntheticRun.broadcast(25, 25, 100, 6, true, 5);
    Report.Output out = Report.write(run, tmp.resolve("run"));
    Op lostAck = run.history().ops().stream()
        .filter(o -> o.isOk() && "broadcast".equals(o.f()) && Long.valueOf(0).equals(o.value())).findFirst().orElseThrow();
    String url = out.html().toUri() + "#op=" + lostAck.index();
    String dom = chromium(bin, tmp.resolve("profile"), url, "--dump-dom");

    assertTrue(dom.contains("data-js-ok=\"true\""), "the page script ran to the end:\n" + head(dom));
    assertTrue(dom.contains("<pre id=\"js-errors\" class=\"warn\" style=\"display:none\"></pre>"), "no script errors:\n"
        + dom.substring(Math.max(0, dom.indexOf("js-errors") - 20), Math.min(dom.length(), dom.indexOf("js-errors") + 500)));
    assertTrue(dom.contains("id=\"verdict\" class=\"verdict invalid\">INVALID</span>"), "verdict shown");
    String lamport = section(dom, "<div id=\"lamport\">");
    assertTrue(lamport.contains("<line"), "message arrows drawn");
    assertTrue(lamport.contains(">n24</text>"), "25 node lanes");
    String timeline = section(dom, "<div id=\"timeline\">");
    assertTrue(timeline.contains("<rect"), "operation bars drawn");
    assertTrue(timeline.contains("data-focus=\"true\""), "#op=N outlines that op");
    assertTrue(dom.matches("(?s).*id=\"chart-[a-z-]+\"><svg.*"), "charts drawn inline");
    assertTrue(!dom.contains("could not be drawn"), "no chart failed");
    assertTrue(dom.contains("<th>anomaly</th>"), "anomaly list shown");
    assertTrue(dom.matches("(?s).*id=\"lamport-info\">\\d+ messages in this window.*"), "window summary");
  }

  @Test
  void screenshotIsNotBlank() throws Exception {
    String bin = requireChromium("the screenshot check");
    Report.Output out = Report.write(SyntheticRun.broadcast(5, 5, 50, 4, false, 9), tmp.resolve("run"));
    Path png = tmp.resolve("shot.png");
    chromium(bin, tmp.resolve("profile"), out.html().toUri().toString(), "--hide-scrollbars", "--window-size=1400,1000",
        "--screenshot=" + png);
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(1400, img.getWidth());
    // the green VALID badge is somewhere in the top band
    boolean green = false;
    for (int y = 0; y < 80 && !green; y++) {
      for (int x = 0; x < 500 && !green; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        green = g > 130 && r < 80 && b < 100;
      }
    }
    assertTrue(green, "verdict badge visible");
  }

  static String section(String dom, String start) {
    int a = dom.indexOf(start);
    assertTrue(a >= 0, start);
    int b = dom.indexOf("</div>", a);
    return dom.substring(a, b < 0 ? dom.length() : b);
  }

  static String head(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
