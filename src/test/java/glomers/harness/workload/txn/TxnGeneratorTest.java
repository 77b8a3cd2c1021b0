package glomers.harness.workload.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Elle's {@code wr-txns} as Maelstrom 0.2.3 drives it: lengths, key distribution, values, key retirement. */
class TxnGeneratorTest {
  @Test
  void lengthsAreOneToMaxAndPoolSlotIHasWeightTwoToTheI() {
    TxnGenerator g = new TxnGenerator("w", 3, 4, Integer.MAX_VALUE);
    SplittableRandom r = new SplittableRandom(1);
    int[] lengths = new int[5];
    Map<Long, Integer> keys = new HashMap<>();
    int mops = 0, reads = 0;
    for (int i = 0; i < 40_000; i++) {
      List<Object> txn = g.nextTxn(r);
      lengths[txn.size()]++;
      for (Object m : txn) {
        List<?> mop = (List<?>) m;
        keys.merge((Long) mop.get(1), 1, Integer::sum);
        if (mop.get(0).equals("r")) reads++;
        mops++;
      }
    }
    for (int len = 1; len <= 4; len++) assertEquals(0.25, lengths[len] / 40_000.0, 0.01, "length " + len);
    assertEquals(0.5, reads / (double) mops, 0.01);
    assertEquals(1 / 7.0, keys.get(0L) / (double) mops, 0.01);
    assertEquals(2 / 7.0, keys.get(1L) / (double) mops, 0.01);
    assertEquals(4 / 7.0, keys.get(2L) / (double) mops, 0.01);
  }

  @Test
  void aKeyTakesValuesOneToMaxThenAFreshKeyTakesItsSlotOnTheNextWriteDraw() {
    TxnGenerator g = new TxnGenerator("append", 1, 1, 3);
    SplittableRandom r = new SplittableRandom(2);
    Map<Long, Long> last = new HashMap<>();
    long readsOfExhausted = 0;
    for (int i = 0; i < 3000; i++) {
      List<?> mop = (List<?>) g.nextTxn(r).get(0);
      long k = (Long) mop.get(1);
      if (mop.get(0).equals("append")) {
        assertEquals(last.getOrDefault(k, 0L) + 1, (long) (Long) mop.get(2));
        assertTrue(k == 0 || last.containsKey(k - 1) && last.get(k - 1) == 3, "fresh key = max + 1 once full");
        last.put(k, (Long) mop.get(2));
      } else if (last.getOrDefault(k, 0L) == 3) {
        readsOfExhausted++;
      }
    }
    assertTrue(readsOfExhausted > 100, "an exhausted key is still read until a write draws it");
    assertEquals(g.maxKey(), last.keySet().stream().mapToLong(Long::longValue).max().getAsLong(), 1);
  }
}
