package glomers.harness.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The registry of workloads the harness can run ({@code -w NAME}).
 *
 * <p>Each known Maelstrom workload is pre-registered under its conventional class name and loaded
 * reflectively, so a teammate implementing a workload only has to create that class (public, no-arg
 * constructor) — no edit here, no merge conflicts. A workload whose class does not exist yet is reported
 * as "not implemented". Tests may {@link #register} extra workloads.
 */
public final class Workloads {
  private static final Map<String, String> CLASSES = new LinkedHashMap<>();
  private static final Map<String, Supplier<Workload>> EXTRA = new LinkedHashMap<>();

  static {
    // one line per workload: -w name → implementing class
    CLASSES.put("echo", "glomers.harness.workload.echo.EchoWorkload");
    CLASSES.put("unique-ids", "glomers.harness.workload.uniqueids.UniqueIdsWorkload");
    CLASSES.put("broadcast", "glomers.harness.workload.broadcast.BroadcastWorkload");
    CLASSES.put("g-set", "glomers.harness.workload.gset.GSetWorkload");
    CLASSES.put("g-counter", "glomers.harness.workload.counter.GCounterWorkload");
    CLASSES.put("pn-counter", "glomers.harness.workload.counter.PnCounterWorkload");
    CLASSES.put("kafka", "glomers.harness.workload.kafka.KafkaWorkload");
    CLASSES.put("txn-rw-register", "glomers.harness.workload.txn.TxnRwRegisterWorkload");
    CLASSES.put("txn-list-append", "glomers.harness.workload.txn.TxnListAppendWorkload");
    CLASSES.put("lin-kv", "glomers.harness.workload.linkv.LinKvWorkload");
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
    Set<String> s = new TreeSet<>(CLASSES.keySet());
    s.addAll(EXTRA.keySet());
    return s;
  }

  /** Whether {@code name} is a known workload (implemented or not). */
  public static synchronized boolean known(String name) {
    return CLASSES.containsKey(name) || EXTRA.containsKey(name);
  }

  /**
   * A fresh instance of the named workload.
   *
   * @throws IllegalArgumentException unknown name (Maelstrom: bad argument, exit 254)
   * @throws UnsupportedOperationException known but not implemented yet
   */
  public static synchronized Workload get(String name) {
    Supplier<Workload> extra = EXTRA.get(name);
    if (extra != null) return extra.get();
    String cls = CLASSES.get(name);
    if (cls == null) {
      throw new IllegalArgumentException("unknown workload " + name + "; expected one of " + names());
    }
    try {
      return (Workload) Class.forName(cls).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new UnsupportedOperationException("workload " + name + " is not implemented yet (" + cls + ")");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + cls, e);
    }
  }
}
