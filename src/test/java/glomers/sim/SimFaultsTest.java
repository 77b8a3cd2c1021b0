package glomers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import glomers.mutants.faults.DeltaCounter;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill, pause and duplicate nemeses on the in-process backend, with the process backend's semantics. */
class SimFaultsTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path store;

  private HarnessRunner.Result run(Supplier<WorkloadHandler> h, String flags) {
    List<String> args = new ArrayList<>(Arrays.asList(flags.split(" ")));
    args.addAll(List.of("--seed", "4", "--store", store.toString(), "--time-limit", "20", "--rate", "20"));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    return Sim.run(spec, h, Map.of(), QUIET, QUIET, false);
  }

  /** One node whose total is a snapshot, synced before each add is acknowledged. */
  static WorkloadHandler durableCounter() {
    long[] sum = {0};
    return node -> {
      node.onInit(() -> sum[0] = node.storage().recoveredSnapshot().map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L));
      node.on("add", msg -> {
        sum[0] += msg.body().get("delta").longValue();
        node.storage().snapshot(ByteBuffer.allocate(8).putLong(sum[0]).array());
        node.storage().sync(() -> node.reply(msg, node.body("add_ok")));
      });
      node.on("read", msg -> node.reply(msg, node.body("read_ok").put("value", sum[0])));
    };
  }

  @Test
  void deltaCounterIsValidWithoutFaultsAndCaughtByKillAndByDuplicate() {
    String flags = "-w g-counter --node-count 3";
    assertEquals(0, run(DeltaCounter::handler, flags).exitCode());
    assertEquals(1, run(DeltaCounter::handler, flags + " --nemesis kill --nemesis-interval 2").exitCode(),
        "a killed node comes back at 0");
    assertEquals(1, run(DeltaCounter::handler, flags + " --nemesis duplicate --nemesis-interval 2").exitCode(),
        "a duplicated delta is added twice");
  }

  @Test
  void aKilledNodeRecoversWhatItSynced() throws IOException {
    HarnessRunner.Result r = run(SimFaultsTest::durableCounter, "-w g-counter --node-count 1 --nemesis kill --nemesis-interval 2");
    assertEquals(0, r.exitCode(), () -> String.valueOf(r.results()));
    long kills = history(r).stream().filter(o -> "start-kill".equals(o.get("f"))).count();
    assertTrue(kills >= 4, "the only node was killed: " + kills);
    assertEquals(1, run(DeltaCounter::handler, "-w g-counter --node-count 1 --nemesis kill --nemesis-interval 2")
        .exitCode(), "the same schedule catches a counter in memory only");
  }

  @Test
  void aPausedNodeReceivesNothingUntilResumed() throws IOException {
    HarnessRunner.Result r = run(DeltaCounter::handler, "-w g-counter --node-count 3 --nemesis pause --nemesis-interval 2");
    assertEquals(0, r.exitCode(), "a pause loses nothing");
    List<Map<String, Object>> h = history(r);
    int checked = 0;
    for (int i = 0; i < h.size(); i++) {
      Map<String, Object> o = h.get(i);
      if (!"start-pause".equals(o.get("f")) || !(o.get("value") instanceof List<?> v) || !"paused".equals(v.get(0))) continue;
      double from = ((Number) o.get("time")).doubleValue() / 1e6;
      double to = Double.MAX_VALUE;
      for (int j = i + 1; j < h.size(); j++) {
        if ("stop-pause".equals(h.get(j).get("f"))) {
          to = ((Number) h.get(j).get("time")).doubleValue() / 1e6;
          break;
        }
      }
      List<?> paused = (List<?>) v.get(1);
      boolean mainPhase = false; // setup traffic is journaled on the earlier time base, before "origin"
      for (String line : Files.readAllLines(r.storeDir().resolve("net-journal.jsonl"))) {
        Map<String, Object> e = Json.parseMap(line);
        mainPhase |= "origin".equals(e.get("ev"));
        if (!mainPhase || !"recv".equals(e.get("ev")) || !paused.contains(e.get("dest"))) continue;
        double t = ((Number) e.get("t")).doubleValue();
        assertTrue(t <= from || t >= to - 0.001, "no delivery to a paused node: " + e + " in [" + from + ", " + to + ")");
        checked++;
      }
    }
    assertTrue(checked > 0, "the schedule paused nodes that received messages");
  }

  private static List<Map<String, Object>> history(HarnessRunner.Result r) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(r.storeDir().resolve("history.jsonl"))) out.add(Json.parseMap(line));
    return out;
  }
}
