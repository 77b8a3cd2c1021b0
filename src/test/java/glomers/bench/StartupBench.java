package glomers.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Start-up benchmark (run by maelstrom-tests/bench-startup.sh): starts N launchers at once, the way
 * Maelstrom's parallel DB setup does, sends each its {@code init} immediately, and reports per run the wall
 * time from the first spawn until the last {@code init_ok}, the CPU seconds each node used until its own
 * {@code init_ok} (utime+stime from /proc, read as the reply arrives: a node may keep working after it,
 * e.g. warming up), and each node's RSS after it has sat idle for a second. Prints medians over the runs.
 *
 * <p>Usage: {@code StartupBench LAUNCHER [nodes=25] [runs=5] [workload=echo] [extra node args…]}
 */
public final class StartupBench {
  public static void main(String[] args) throws Exception {
    String launcher = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String workload = args.length > 3 ? args[3] : "echo";
    List<String> extra = args.length > 4 ? Arrays.asList(args).subList(4, args.length) : List.of();
    long hz = 100; // USER_HZ on Linux
    double[] walls = new double[runs], cpuMedians = new double[runs], rssMedians = new double[runs], slowest = new double[runs];
    double[] pssMedians = new double[runs];
    for (int run = 0; run < runs; run++) {
      Process[] ps = new Process[n];
      double[] ready = new double[n], cpu = new double[n];
      CountDownLatch all = new CountDownLatch(n);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        List<String> cmd = new ArrayList<>(List.of(launcher, workload));
        cmd.addAll(extra);
        ps[i] = new ProcessBuilder(cmd).directory(new java.io.File("/tmp")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int idx = i;
        String init =
            "{\"id\":" + i + ",\"src\":\"c" + i + "\",\"dest\":\"n" + i + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n" + i
                + "\",\"node_ids\":[" + nodeIds(n) + "]}}\n";
        OutputStream os = ps[i].getOutputStream();
        os.write(init.getBytes(StandardCharsets.UTF_8));
        os.flush();
        Thread t =
            new Thread(
                () -> {
                  try {
                    BufferedReader r = new BufferedReader(new InputStreamReader(ps[idx].getInputStream(), StandardCharsets.UTF_8));
                    String line = r.readLine();
                    if (line == null || !line.contains("\"init_ok\"")) throw new IllegalStateException("n" + idx + ": " + line);
                    ready[idx] = (System.nanoTime() - t0) / 1e6;
                    cpu[idx] = cpuTicks(ps[idx].pid()) / (double) hz;
                    all.countDown();
                  } catch (Exception e) {
                    System.err.println(e);
                  }
                });
        t.setDaemon(true);
        t.start();
      }
      if (!all.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not every node answered init");
      double wall = Arrays.stream(ready).max().orElse(0);
      Thread.sleep(1000);
      double[] rss = new double[n];
      double[] pss = new double[n];
      for (int i = 0; i < n; i++) {
        rss[i] = memKb(ps[i].pid(), "status", "VmRSS:") / 1024.0;
        pss[i] = memKb(ps[i].pid(), "smaps_rollup", "Pss:") / 1024.0;
      }
      for (Process p : ps) p.destroyForcibly();
      for (Process p : ps) p.waitFor();
      walls[run] = wall;
      cpuMedians[run] = median(cpu);
      rssMedians[run] = median(rss);
      slowest[run] = Arrays.stream(rss).max().orElse(0);
      pssMedians[run] = median(pss);
      System.out.printf(
          "run %d: %d nodes, last init_ok after %.0f ms; CPU per node median %.2f s (max %.2f); RSS per node median %.1f MB (max %.1f); PSS %.1f MB%n",
          run + 1, n, wall, median(cpu), Arrays.stream(cpu).max().orElse(0), median(rss), slowest[run], pssMedians[run]);
      Thread.sleep(500);
    }
    System.out.printf(
        "MEDIAN of %d runs: %d nodes all answered init in %.0f ms; CPU per node %.2f s; idle RSS per node %.1f MB (worst node %.1f MB);"
            + " idle PSS per node %.1f MB (RSS with pages shared by the nodes, e.g. libjvm and the class archive, split among them)%n",
        runs, n, median(walls), median(cpuMedians), median(rssMedians), median(slowest), median(pssMedians));
  }

  static String nodeIds(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("\"n").append(i).append('"');
    return b.toString();
  }

  static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }

  /** A kB figure from {@code /proc/PID/FILE}'s line starting with {@code key}; -1 if absent. */
  static long memKb(long pid, String file, String key) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
      if (l.startsWith(key)) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
