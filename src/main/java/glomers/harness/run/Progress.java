package glomers.harness.run;

import glomers.harness.nemesis.Grudges;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** One-line progress display on stderr, on an interactive console and in real time only. */
final class Progress {
  /** What the line shows. */
  interface Source {
    long[] counts();

    double elapsedSeconds();

    String phase();

    Map<String, Set<String>> partitions();
  }

  private final Thread thread = new Thread(this::loop, "harness-progress");
  private final boolean enabled;
  private final PrintStream err;
  private final double timeLimit;
  private final Source source;

  Progress(PrintStream err, double timeLimit, boolean realTime, Source source) {
    this.err = err;
    this.timeLimit = timeLimit;
    this.source = source;
    this.enabled = realTime && System.console() != null && err == System.err;
  }

  void start() {
    if (!enabled) return;
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    if (!enabled) return;
    thread.interrupt();
    err.print("\r\033[K");
    err.flush();
  }

  private void loop() {
    try {
      while (true) {
        Thread.sleep(500);
        Source s = source;
        long[] c = s.counts();
        Map<String, Set<String>> p = s.partitions();
        String part = p.values().stream().allMatch(Set::isEmpty) ? "none" : Grudges.toJson(p).toString();
        err.print(String.format("\r\033[K[%6.1f s / %.0f s %s] ops %d: ok %d fail %d info %d | partition %s",
            s.elapsedSeconds(), timeLimit, s.phase(), c[0], c[1], c[2], c[3], part));
        err.flush();
      }
    } catch (InterruptedException ignored) {
      // done
    }
  }
}
