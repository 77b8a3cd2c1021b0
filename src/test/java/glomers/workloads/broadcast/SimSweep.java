package glomers.workloads.broadcast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Noise-free trade-off points on virtual time (exact 100 ms hops, instant processing): the 3d schedule
 * through {@link BroadcastHandlerTest#run}, stable latencies from the real set-full checker. Run by
 * maelstrom-tests/bench-broadcast-sim.sh; arguments are points ("tick-ms=400 sync=true"), default a sweep.
 */
public final class SimSweep {
  public static void main(String[] args) {
    String[] points = args.length > 0 ? args : new String[] {
      "profile=latency", "mode=direct holdoff-ms=100", "mode=direct holdoff-ms=150", "mode=direct holdoff-ms=250", "tick-ms=100", "tick-ms=150", "tick-ms=200",
      "tick-ms=300 sync=true", "profile=efficient", "tick-ms=500 sync=true"};
    int seeds = Integer.getInteger("seeds", 5);
    String tsvPath = System.getProperty("tsv");
    StringBuilder tsv = new StringBuilder("point\trun\tseed\tvalid\tmsgs_per_op\tmedian_ms\tmax_ms\tp95_ms\tops\n");
    System.out.println("| node settings | servers msgs/op | stable latency median (ms) | p95 | max (ms) | last node holds value: median / max (ms) |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String p : points) {
      Map<String, String> s = new LinkedHashMap<>();
      for (String kv : p.trim().split("\\s+")) if (!kv.isEmpty()) s.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      double[] mpo = new double[seeds];
      long[] med = new long[seeds], p95 = new long[seeds], max = new long[seeds], fmed = new long[seeds], fmax = new long[seeds];
      for (int i = 0; i < seeds; i++) {
        BroadcastHandlerTest.Run r = BroadcastHandlerTest.run(25, s, 100, 20, 100 + i, false, Long.getLong("jitter", 0L));
        mpo[i] = r.msgsPerOp();
        med[i] = r.stable("0.5");
        p95[i] = r.stable("0.95");
        max[i] = r.stable("1");
        fmed[i] = r.medianMs();
        fmax[i] = r.maxMs();
        tsv.append(String.join("\t", p, Integer.toString(i + 1), Integer.toString(100 + i), String.valueOf(r.checked().get("valid?")),
            String.format("%.3f", mpo[i]), Long.toString(med[i]), Long.toString(max[i]), Long.toString(p95[i]), "")).append('\n');
      }
      System.out.printf("| `%s` | %.2f | %d | %d | %d | %d / %d |%n", p, median(mpo), median(med), median(p95), median(max), median(fmed), median(fmax));
    }
    System.out.println();
    System.out.println("Medians over " + seeds + " seeds; 25 nodes, rate 100, 20 s, virtual time.");
    if (tsvPath != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(tsvPath), tsv.toString().replace("\ttrue\t", "\tTrue\t"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  static double median(double[] a) {
    double[] b = a.clone();
    java.util.Arrays.sort(b);
    return b[b.length / 2];
  }

  static long median(long[] a) {
    long[] b = a.clone();
    java.util.Arrays.sort(b);
    return b[b.length / 2];
  }
}
