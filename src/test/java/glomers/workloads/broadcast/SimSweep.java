package glomers.workloads.broadcast;

import java.util.Map;

/** Manual: prints simulated trade-off points (virtual time, exact 100 ms hops). Not a test. */
public final class SimSweep {
  public static void main(String[] args) {
    String[][] points = {
      {"profile", "latency"},
      {"mode", "direct", "holdoff-ms", "100"},
      {"mode", "direct", "holdoff-ms", "140"},
      {"mode", "direct", "holdoff-ms", "200"},
      {"mode", "direct", "holdoff-ms", "140", "ack-delay-ms", "4000"},
      {"tick-ms", "100"}, {"tick-ms", "150"}, {"tick-ms", "200"}, {"tick-ms", "300"}, {"tick-ms", "400"}, {"tick-ms", "500"},
      {"tick-ms", "200", "sync", "false"},
    };
    for (String[] p : points) {
      Map<String, String> s = new java.util.HashMap<>();
      for (int i = 0; i < p.length; i += 2) s.put(p[i], p[i + 1]);
      BroadcastHandlerTest.Run r = BroadcastHandlerTest.run(25, s, 100, 20, 42, false);
      System.out.printf("%-40s msgs/op %.2f  median %d  max %d%n", s, r.msgsPerOp(), r.medianMs(), r.maxMs());
    }
  }
}
