package glomers.harness.workload.txn;

import glomers.harness.history.Op;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Elle's transaction generator as Maelstrom 0.2.3 drives it (docs/maelstrom.md#workloads): one global
 * stream of transactions of 1…{@code max-txn-length} micro-ops, each a read or a write (50/50) of a key from
 * an active pool of {@code key-count} keys. Pool position i is drawn with probability 2^i / (2^kc − 1), so
 * the newest key is hot (≈ ½) and old keys cool off. Writes to a key use the values 1, 2, … (unique per
 * key); once a key would exceed {@code max-writes-per-key} it is retired and replaced in the pool by a fresh
 * key (max key + 1). List-append uses the same stream with writes spelled {@code append}.
 */
public final class TxnGenerator implements Generator {
  private final String writeF;
  private final int maxTxnLength;
  private final int maxWritesPerKey;
  private final long[] pool;
  private final Map<Long, Long> nextValue = new HashMap<>();
  private long maxKeyEver;

  public TxnGenerator(String writeF, int keyCount, int maxTxnLength, int maxWritesPerKey) {
    this.writeF = writeF;
    this.maxTxnLength = Math.max(1, maxTxnLength);
    this.maxWritesPerKey = Math.max(1, maxWritesPerKey);
    this.pool = new long[Math.max(1, keyCount)];
    for (int i = 0; i < pool.length; i++) pool[i] = i;
    this.maxKeyEver = pool.length - 1;
  }

  /** Largest key any transaction may have touched (for final convergence reads). */
  public long maxKey() {
    return maxKeyEver;
  }

  private int position(SplittableRandom r) {
    int kc = pool.length;
    if (kc >= 62) {
      // 2^kc overflows; the distribution is geometric from the top, so sample it that way.
      int i = kc - 1;
      while (i > 0 && r.nextBoolean()) i--;
      return i;
    }
    long u = r.nextLong((1L << kc) - 1); // 0 … 2^kc − 2
    return 63 - Long.numberOfLeadingZeros(u + 1); // floor(log2(u + 1)): position i covers 2^i values
  }

  /** The next transaction, e.g. {@code [["r",3,null],["w",3,1]]}. */
  public List<Object> nextTxn(SplittableRandom r) {
    int length = 1 + r.nextInt(maxTxnLength);
    List<Object> txn = new ArrayList<>(length);
    while (txn.size() < length) {
      boolean read = r.nextBoolean();
      int i = position(r);
      long k = pool[i];
      if (read) {
        txn.add(Arrays.asList("r", k, null));
        continue;
      }
      long v = nextValue.getOrDefault(k, 1L);
      if (v > maxWritesPerKey) {
        long fresh = Arrays.stream(pool).max().orElse(0) + 1;
        pool[i] = fresh;
        maxKeyEver = Math.max(maxKeyEver, fresh);
        continue;
      }
      nextValue.put(k, v + 1);
      txn.add(Arrays.asList(writeF, k, v));
    }
    return txn;
  }

  @Override
  public Op next(GenContext ctx) {
    return Op.invoke(ctx.process(), "txn", nextTxn(ctx.random()));
  }
}
