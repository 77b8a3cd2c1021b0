package glomers.mutants.txn;

import glomers.mutants.MiniNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliberately broken txn nodes (rw-register or list-append, each node keeping only its own local store,
 * never talking to peers). The first argument picks the bug:
 *
 * <ul>
 *   <li>{@code local} — no bug in isolation, but never replicates: passes Maelstrom's checks (like the
 *       public solution that waits for a topology message), fails the harness's {@code --strict}
 *       convergence analysis.
 *   <li>{@code intermediate} — applies a txn's writes to the store in reverse order, so the stored value is
 *       an intermediate write that later txns read (G1b).
 *   <li>{@code aborted} — answers every third txn that writes with error 30 (txn-conflict) but keeps its
 *       writes (G1a).
 *   <li>{@code garbage} — reads of existing keys return a value nobody wrote (stored value + 1 000 000).
 * </ul>
 */
public final class TxnMutant {
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    String bug = args.length > 0 ? args[0] : "local";
    Map<Object, Object> store = new HashMap<>();
    long[] count = {0};
    MiniNode.run((n, msg) -> {
      Map<String, Object> body = MiniNode.body(msg);
      if (!"txn".equals(body.get("type"))) return;
      List<Object> txn = (List<Object>) body.get("txn");
      List<Object> out = new ArrayList<>();
      Map<Object, Object> local = new LinkedHashMap<>();
      List<List<Object>> writes = new ArrayList<>();
      for (Object o : txn) {
        List<Object> m = (List<Object>) o;
        Object k = m.get(1);
        if ("r".equals(m.get(0))) {
          Object v = local.containsKey(k) ? local.get(k) : store.get(k);
          if (v instanceof List<?> l) v = new ArrayList<>(l);
          if (bug.equals("garbage") && v instanceof Long x && !local.containsKey(k)) v = x + 1_000_000L;
          out.add(Arrays.asList("r", k, v));
        } else {
          if ("append".equals(m.get(0))) {
            List<Object> l = new ArrayList<>(local.containsKey(k) ? (List<Object>) local.get(k)
                : store.containsKey(k) ? (List<Object>) store.get(k) : List.of());
            l.add(m.get(2));
            local.put(k, l);
          } else {
            local.put(k, m.get(2));
          }
          writes.add(m);
          out.add(m);
        }
      }
      if (bug.equals("intermediate")) {
        for (int i = writes.size() - 1; i >= 0; i--) store.put(writes.get(i).get(1), writes.get(i).get(2));
      } else {
        store.putAll(local);
      }
      if (bug.equals("aborted") && !writes.isEmpty() && ++count[0] % 3 == 0) {
        n.reply(msg, Map.of("type", "error", "code", 30, "text", "txn-conflict (but the writes stay)"));
        return;
      }
      n.reply(msg, Map.of("type", "txn_ok", "txn", out));
    });
  }
}
