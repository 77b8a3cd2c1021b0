package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.Op;
import glomers.harness.time.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The nemesis schedule, on virtual time, with fault kinds that only record what they are asked to do. */
class NemesisTest {
  /** A fault kind that records its starts and stops. */
  private static final class Recording implements Fault {
    final String name;
    final List<String> log;

    Recording(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Start plan(SplittableRandom random) {
      int target = random.nextInt(100);
      return new Start() {
        @Override
        public Object asked() {
          return "target " + target;
        }

        @Override
        public Object apply() {
          log.add("start " + name);
          return "done " + target;
        }
      };
    }

    @Override
    public Object stop() {
      log.add("stop " + name);
      return "healed";
    }
  }

  private record Run(List<Op> history, List<String> acts, List<Long> times) {}

  private static Run schedule(List<String> kinds, double intervalS, double limitS, long seed) throws Exception {
    VirtualScheduler clock = new VirtualScheduler();
    List<Op> history = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<String> acts = new ArrayList<>();
    List<Fault> faults = new ArrayList<>();
    for (String k : kinds) faults.add(new Recording(k, acts));
    clock.runMain(() -> {
      Nemesis n = new Nemesis(faults, intervalS, clock, op -> {
        history.add(op);
        times.add(clock.nanoTime());
      }, new SplittableRandom(seed));
      n.run((long) (limitS * 1e9), () -> false);
      n.healAll();
      return null;
    });
    return new Run(history, acts, times);
  }

  @Test
  void alternatesStartAndStopWithTwoInfoEntriesEachWithinTheTimeLimit() throws Exception {
    Run r = schedule(List.of("partition"), 1, 20, 7);
    assertTrue(r.history().size() >= 8, "a 20 s run with a 1 s interval has several ops: " + r.history().size());
    assertEquals(0, r.history().size() % 2);
    for (int i = 0; i + 1 < r.history().size(); i += 2) {
      Op first = r.history().get(i);
      Op second = r.history().get(i + 1);
      assertEquals(first.f(), second.f());
      assertEquals(Op.NEMESIS, first.process());
      assertTrue(first.isInfo() && second.isInfo());
    }
    List<String> fs = new ArrayList<>();
    for (int i = 0; i < r.history().size(); i += 2) fs.add(r.history().get(i).f());
    for (int i = 0; i < fs.size() - 1; i++) assertEquals(i % 2 == 0 ? "start-partition" : "stop-partition", fs.get(i));
    assertEquals("stop-partition", fs.get(fs.size() - 1), "healAll ends with a stop");
    assertTrue(r.times().get(r.times().size() - 3) <= 20_000_000_000L, "no scheduled op after the time limit");
    assertEquals("target", ((String) r.history().get(0).value()).split(" ")[0]);
    assertTrue(((String) r.history().get(1).value()).startsWith("done "));
  }

  @Test
  void severalKindsShareOneScheduleAndEachStopEndsTheActiveOne() throws Exception {
    Run r = schedule(List.of("partition", "kill"), 0.5, 30, 3);
    assertTrue(r.acts().contains("start partition") && r.acts().contains("start kill"), r.acts().toString());
    for (int i = 0; i + 1 < r.acts().size() - 2; i += 2) {
      String started = r.acts().get(i).substring("start ".length());
      assertEquals("stop " + started, r.acts().get(i + 1), r.acts().toString());
    }
  }

  @Test
  void sameSeedSameSchedule() throws Exception {
    assertEquals(schedule(List.of("partition"), 2, 30, 11).times(), schedule(List.of("partition"), 2, 30, 11).times());
  }
}
