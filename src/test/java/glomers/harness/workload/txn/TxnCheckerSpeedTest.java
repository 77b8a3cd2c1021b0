package glomers.harness.workload.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checker speed and soundness on big histories: a 60-second run at rate 1000 (60 000 txns, 4 processes)
 * from a single-copy database that executes each txn atomically at its completion — strict serializable by
 * construction, so every model must accept it — must check in under 10 s.
 */
class TxnCheckerSpeedTest {
  static History serialHistory(String writeF, int txns, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    TxnGenerator gen = new TxnGenerator(writeF, 10, 4, 16);
    Map<Object, Object> db = new HashMap<>();
    List<Op> ops = new ArrayList<>();
    List<Object>[] open = new List[4];
    long time = 0;
    int done = 0;
    while (done < txns) {
      int p = r.nextInt(4);
      time += 1000;
      if (open[p] == null) {
        open[p] = gen.nextTxn(r);
        ops.add(new Op(-1, time, OpType.INVOKE, p, "txn", open[p], null, null, false, null));
        continue;
      }
      List<Object> out = new ArrayList<>();
      for (Object o : open[p]) {
        List<?> m = (List<?>) o;
        Object k = m.get(1);
        if (m.get(0).equals("r")) {
          Object v = db.get(k);
          out.add(Arrays.asList("r", k, v instanceof List<?> l ? new ArrayList<>(l) : v));
        } else if (writeF.equals("w")) {
          db.put(k, m.get(2));
          out.add(m);
        } else {
          @SuppressWarnings("unchecked")
          List<Object> l = (List<Object>) db.computeIfAbsent(k, x -> new ArrayList<>());
          l.add(m.get(2));
          out.add(m);
        }
      }
      ops.add(new Op(-1, time, OpType.OK, p, "txn", out, null, null, false, null));
      open[p] = null;
      done++;
    }
    return new History(ops);
  }

  private static void timeCheck(String writeF, boolean list) {
    History h = serialHistory(writeF, 60_000, 7);
    CheckContext ctx = CheckContext.forTest(2, Map.of("consistency-models", List.of("strict-serializable")));
    long t0 = System.nanoTime();
    Map<String, Object> res = list ? new ListAppendChecker().check(ctx, h) : new RwRegisterChecker().check(ctx, h);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(true, res.get("valid?"), res.toString());
    assertTrue(ms < 10_000, writeF + " check took " + ms + " ms");
  }

  @Test
  void rwRegister60kTxnsUnder10s() {
    timeCheck("w", false);
  }

  @Test
  void listAppend60kTxnsUnder10s() {
    timeCheck("append", true);
  }
}
