package glomers.harness.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The registry of workloads the harness can run ({@code -w NAME}): every Maelstrom v0.2.3 workload, one
 * line each, plus any a test {@link #register}s.
 */
public final class Workloads {
  private static final Map<String, Supplier<Workload>> BUILT_IN = new LinkedHashMap<>();
  private static final Map<String, Supplier<Workload>> EXTRA = new LinkedHashMap<>();

  static {
    BUILT_IN.put("echo", glomers.harness.workload.echo.EchoWorkload::new);
    BUILT_IN.put("unique-ids", glomers.harness.workload.uniqueids.UniqueIdsWorkload::new);
    BUILT_IN.put("broadcast", glomers.harness.workload.broadcast.BroadcastWorkload::new);
    BUILT_IN.put("g-set", glomers.harness.workload.gset.GSetWorkload::new);
    BUILT_IN.put("g-counter", glomers.harness.workload.counter.GCounterWorkload::new);
    BUILT_IN.put("pn-counter", glomers.harness.workload.counter.PnCounterWorkload::new);
    BUILT_IN.put("kafka", glomers.harness.workload.kafka.KafkaWorkload::new);
    BUILT_IN.put("txn-rw-register", glomers.harness.workload.txn.TxnRwRegisterWorkload::new);
    BUILT_IN.put("txn-list-append", glomers.harness.workload.txn.TxnListAppendWorkload::new);
    BUILT_IN.put("lin-kv", glomers.harness.workload.linkv.LinKvWorkload::new);
  }

  private Workloads() {}

  /** Registers (or overrides) a workload, e.g. from a test. */
  public static synchronized void register(String name, Supplier<Workload> factory) {
    EXTRA.put(name, factory);
  }

  /** Removes a workload registered with {@link #register} (tests clean up after themselves). */
  public static synchronized void unregister(String name) {
    EXTRA.remove(name);
  }

  /** Every workload name Maelstrom v0.2.3 knows plus registered extras. */
  public static synchronized Set<String> names() {
    Set<String> s = new TreeSet<>(BUILT_IN.keySet());
    s.addAll(EXTRA.keySet());
    return s;
  }

  /** Whether {@code name} is a known workload. */
  public static synchronized boolean known(String name) {
    return BUILT_IN.containsKey(name) || EXTRA.containsKey(name);
  }

  /**
   * A fresh instance of the named workload.
   *
   * @throws IllegalArgumentException unknown name (Maelstrom: bad argument, exit 254)
   */
  public static synchronized Workload get(String name) {
    Supplier<Workload> f = EXTRA.getOrDefault(name, BUILT_IN.get(name));
    if (f == null) throw new IllegalArgumentException("unknown workload " + name + "; expected one of " + names());
    return f.get();
  }
}
