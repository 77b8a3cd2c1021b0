package glomers.harness.report;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic, plausible broadcast run built in memory (no nodes): workers issue broadcasts and reads at a given
 * rate, each broadcast floods to every node over a latency-100-ish network, a partition cuts n0 off for a while, and
 * optionally element 0 is lost. Used to exercise the report end to end and to time it.
 */
final class SyntheticRun {
  private SyntheticRun() {}

  static RunData broadcast(int nodes, int workers, double rate, double seconds, boolean loseOne, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < nodes; i++) ids.add("n" + i);
    List<long[]> events = new ArrayList<>(); // [time, kind(0 inv,1 done), worker, f(0 bcast,1 read), value]
    List<NetMessage> msgs = new ArrayList<>();
    long msgId = 0;
    long partStart = (long) (seconds * 0.3e9), partEnd = (long) (seconds * 0.5e9);
    // element visibility: element -> time it becomes visible on each node
    List<long[]> visible = new ArrayList<>();
    long[] free = new long[workers];
    long t = 0;
    long elem = 0;
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(-1, 5_000_000L, OpType.INFO, Op.NEMESIS, "start-partition", null, null, null, false, null));
    record Pending(long time, Op op) {}
    List<Pending> pend = new ArrayList<>();
    pend.add(new Pending(partStart, new Op(-1, partStart, OpType.INFO, Op.NEMESIS, "start-partition", null, null, null, false, null)));
    pend.add(new Pending(partStart + 1_000_000, new Op(-1, partStart + 1_000_000, OpType.INFO, Op.NEMESIS, "start-partition",
        Map.of("n0", List.of("n1", "n2")), null, null, false, null)));
    pend.add(new Pending(partEnd, new Op(-1, partEnd, OpType.INFO, Op.NEMESIS, "stop-partition", null, null, null, false, null)));
    pend.add(new Pending(partEnd + 1_000_000, new Op(-1, partEnd + 1_000_000, OpType.INFO, Op.NEMESIS, "stop-partition",
        "network healed", null, null, false, null)));
    ops.clear();
    long end = (long) (seconds * 1e9);
    while (true) {
      t += (long) (rnd.nextDouble() * 2e9 / rate);
      if (t > end) break;
      int w = -1;
      for (int i = 0; i < workers; i++) if (free[i] <= t) { w = i; break; }
      if (w < 0) continue;
      String node = ids.get(w % nodes);
      long lat = 1_000_000 + (long) (rnd.nextDouble() * rnd.nextDouble() * 40_000_000);
      long client = 1000 + w;
      boolean read = rnd.nextBoolean();
      long done = t + lat;
      if (!read) {
        long e = elem++;
        long[] vis = new long[nodes];
        int origin = w % nodes;
        for (int n = 0; n < nodes; n++) {
          long d = n == origin ? t + lat / 2 : t + 80_000_000L + rnd.nextLong(40_000_000L);
          boolean cut = (n == 0 || origin == 0) && n != origin && d >= partStart && d < partEnd;
          if (cut) d = partEnd + 100_000_000L;
          boolean lost = loseOne && e == 0 && n != origin;
          vis[n] = lost ? Long.MAX_VALUE : d;
          if (n != origin) {
            boolean dropped = cut || lost;
            msgs.add(new NetMessage(msgId++, "n" + origin, "n" + n, "broadcast", t + lat / 2, dropped ? NetMessage.UNDELIVERED : d));
            if (cut && !lost) msgs.add(new NetMessage(msgId++, "n" + origin, "n" + n, "broadcast", partEnd + 20_000_000L, d));
          }
        }
        visible.add(vis);
        pend.add(new Pending(t, new Op(-1, t, OpType.INVOKE, w, "broadcast", e, null, null, false, null)));
        pend.add(new Pending(done, new Op(-1, done, OpType.OK, w, "broadcast", e, null, null, false, null)));
        msgs.add(new NetMessage(msgId++, "c" + client, node, "broadcast", t, t + 10_000));
        msgs.add(new NetMessage(msgId++, node, "c" + client, "broadcast_ok", done - 10_000, done));
      } else {
        pend.add(new Pending(t, new Op(-1, t, OpType.INVOKE, w, "read", null, null, null, false, null)));
        int n = w % nodes;
        List<Object> seen = new ArrayList<>();
        for (int e = 0; e < visible.size(); e++) if (visible.get(e)[n] <= t) seen.add((long) e);
        boolean timeout = rnd.nextInt(200) == 0;
        if (timeout) {
          done = t + 1_000_000_000L;
          pend.add(new Pending(done, new Op(-1, done, OpType.INFO, w, "read", null, "net-timeout", null, false, null)));
        } else {
          pend.add(new Pending(done, new Op(-1, done, OpType.OK, w, "read", seen, null, null, false, null)));
        }
        msgs.add(new NetMessage(msgId++, "c" + client, node, "read", t, t + 10_000));
        msgs.add(new NetMessage(msgId++, node, "c" + client, "read_ok", done - 10_000, timeout ? NetMessage.UNDELIVERED : done));
      }
      free[w] = done + 1;
    }
    // final reads after heal + quiet
    long fin = Math.max(end, partEnd) + 1_000_000_000L;
    for (int w = 0; w < workers; w++) {
      int n = w % nodes;
      List<Object> seen = new ArrayList<>();
      for (int e = 0; e < visible.size(); e++) if (visible.get(e)[n] <= fin) seen.add((long) e);
      pend.add(new Pending(fin + w, new Op(-1, fin + w, OpType.INVOKE, w, "read", null, null, null, true, null)));
      pend.add(new Pending(fin + w + 2_000_000, new Op(-1, fin + w + 2_000_000, OpType.OK, w, "read", seen, null, null, true, null)));
    }
    pend.sort((a, b) -> Long.compare(a.time(), b.time()));
    for (Pending p : pend) ops.add(p.op());
    msgs.sort((a, b) -> Long.compare(a.sendNanos(), b.sendNanos()));
    History h = new History(ops);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("perf", Map.of("valid?", true));
    results.put("stats", Map.of("valid?", true, "count", (long) h.clientCompletions().size()));
    long okCount = h.clientCompletions().stream().filter(Op::isOk).count();
    long inv = h.ops().stream().filter(o -> o.isClient() && o.isInvoke()).count();
    results.put("availability", Map.of("valid?", true, "ok-fraction", (double) okCount / inv));
    long server = msgs.stream().filter(m -> !m.isClient()).count();
    results.put("net", Map.of("valid?", true, "all", Map.of("msgs-per-op", (double) msgs.size() / inv),
        "servers", Map.of("msgs-per-op", (double) server / inv)));
    Map<String, Object> wl = new LinkedHashMap<>();
    wl.put("valid?", !loseOne);
    wl.put("attempt-count", elem);
    wl.put("lost-count", loseOne ? 1L : 0L);
    wl.put("lost", loseOne ? List.of(0L) : List.of());
    wl.put("stable-latencies", new LinkedHashMap<>(Map.of("0", 0L, "0.5", 100L, "0.95", 400L, "0.99", 900L, "1", 1500L)));
    if (loseOne) {
      Op known = h.ops().stream().filter(o -> o.isOk() && "broadcast".equals(o.f()) && Long.valueOf(0).equals(o.value())).findFirst().orElseThrow();
      wl.put("worst-stale", List.of(Map.of("element", 0L, "outcome", "lost", "known", known.toMap())));
    }
    results.put("workload", wl);
    results.put("valid?", !loseOne);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("command", "synthetic broadcast --node-count " + nodes + " --rate " + rate);
    return new RunData("broadcast", results, h, msgs, ids, info);
  }
}
