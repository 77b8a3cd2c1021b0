package glomers.harness.service;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code lww-kv} as v0.2.3 actually behaves (docs/maelstrom.md#consistency-of-the-services): two replicas, each
 * request handled by a uniformly random one; the intended replica merge is discarded in the original code, so
 * replicas never converge. {@code create_if_not_exists} is ignored (a CAS on a missing key is always error 20).
 */
public final class LwwKv implements Service {
  @SuppressWarnings("unchecked")
  private final Map<Object, Object>[] replicas = new Map[] {Kv.EMPTY, Kv.EMPTY};
  private final SplittableRandom random;

  public LwwKv(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public String id() {
    return "lww-kv";
  }

  @Override
  public Map<String, Object> handle(String src, Map<String, Object> body) {
    int i = random.nextInt(replicas.length);
    Kv.Result r = Kv.apply(replicas[i], body, false);
    replicas[i] = r.state();
    return r.reply();
  }
}
