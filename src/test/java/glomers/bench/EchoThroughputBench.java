package glomers.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Echo throughput (run by maelstrom-tests/bench-echo.sh): one echo node process fed {@code count} echo
 * requests from a pipe as fast as it reads them, while a reader thread consumes the replies; the figure is
 * requests per second from the first request written to the last reply read (after init, so JVM start-up
 * is excluded but warm-up is not). Medians over the runs.
 *
 * <p>Usage: {@code EchoThroughputBench LAUNCHER [count=200000] [runs=5]}
 */
public final class EchoThroughputBench {
  public static void main(String[] args) throws Exception {
    String launcher = args[0];
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    double[] rates = new double[runs];
    for (int run = 0; run < runs; run++) {
      Process p = new ProcessBuilder(List.of(launcher, "echo")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      OutputStream os = new BufferedOutputStream(p.getOutputStream(), 1 << 16);
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
      os.write("{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\"]}}\n".getBytes(StandardCharsets.UTF_8));
      os.flush();
      r.readLine();
      long[] done = {0};
      Thread reader =
          new Thread(
              () -> {
                try {
                  long seen = 0;
                  while (seen < count && r.readLine() != null) seen++;
                  done[0] = seen;
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      long t0 = System.nanoTime();
      reader.start();
      for (int i = 0; i < count; i++) {
        os.write(("{\"id\":" + i + ",\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":" + (i + 1) + ",\"echo\":\"Please echo " + i + "\"}}\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      os.flush();
      reader.join();
      double secs = (System.nanoTime() - t0) / 1e9;
      p.destroyForcibly().waitFor();
      if (done[0] != count) throw new IllegalStateException("only " + done[0] + " replies");
      rates[run] = count / secs;
      System.out.printf("run %d: %d echoes in %.2f s = %.0f msgs/s%n", run + 1, count, secs, rates[run]);
    }
    double[] s = rates.clone();
    Arrays.sort(s);
    System.out.printf("MEDIAN of %d runs: %.0f echo msgs/s%n", runs, s[runs / 2]);
  }
}
