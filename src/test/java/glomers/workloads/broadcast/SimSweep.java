package glomers.workloads.broadcast;

import java.util.Map;

/** Manual: prints simulated trade-off points (virtual time, exact 100 ms hops). Not a test. */
public final class SimSweep {
  public static void main(String[] args) {
    String[][] points = {
      {"tick-ms", "100", "sync", "false"}, {"tick-ms", "150", "sync", "false"}, {"tick-ms", "200", "sync", "false"},
      {"tick-ms", "380", "sync-margin-ms", "15"}, {"tick-ms", "400", "sync-margin-ms", "15"},
      {"tick-ms", "400", "sync", "false"},
    };
    for (String[] p : points) {
      Map<String, String> s = new java.util.HashMap<>();
      for (int i = 0; i < p.length; i += 2) s.put(p[i], p[i + 1]);
      BroadcastHandlerTest.Run r = BroadcastHandlerTest.run(25, s, 100, 20, 42, false);
      System.out.printf("%-40s msgs/op %.2f  median %d  max %d%n", s, r.msgsPerOp(), r.medianMs(), r.maxMs());
    }
  }
}
