package glomers.mutants;

import java.util.Map;

/** Mutant: ids are a per-node counter 0, 1, 2 … — duplicates across nodes. */
public final class UniqueIdsLocalCounter {
  public static void main(String[] args) throws Exception {
    long[] next = {0};
    MiniNode.run((n, msg) -> n.reply(msg, Map.of("type", "generate_ok", "id", next[0]++)));
  }
}
