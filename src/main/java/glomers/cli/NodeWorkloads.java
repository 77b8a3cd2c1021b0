package glomers.cli;

import glomers.node.WorkloadHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node-side workload registry: Maelstrom workload name ({@code -w} value) to a factory for its
 * handler. The launcher's first argument picks one; {@code launcher --list} prints the registered names
 * (run.sh uses it to skip catalogue entries whose workload has not landed yet).
 *
 * <p>Add a workload with one {@code register} line in the static block below, keeping one line per
 * workload so that parallel additions rebase without conflicts.
 */
public final class NodeWorkloads {
  /** Every workload name Maelstrom 0.2.3 knows, in the order of its documentation. */
  public static final java.util.List<String> MAELSTROM_NAMES =
      java.util.List.of(
          "echo", "unique-ids", "broadcast", "g-counter", "pn-counter", "g-set", "kafka",
          "txn-rw-register", "txn-list-append", "lin-kv");

  private static final Map<String, Supplier<WorkloadHandler>> REGISTRY = new LinkedHashMap<>();

  private static void register(String name, Supplier<WorkloadHandler> factory) {
    if (REGISTRY.putIfAbsent(name, factory) != null) throw new IllegalStateException("duplicate workload " + name);
  }

  static {
    register("echo", glomers.workloads.echo.EchoHandler::new);
    register("unique-ids", glomers.workloads.uniqueids.UniqueIdsHandler::new);
    register("g-counter", glomers.workloads.counter.CounterHandler::growOnly);
    register("pn-counter", glomers.workloads.counter.CounterHandler::pn);
    register("g-set", glomers.workloads.gset.GSetHandler::new);
    register("kafka", glomers.workloads.kafka.KafkaHandler::new);
    register("broadcast", glomers.workloads.broadcast.BroadcastHandler::new);
    register("lin-kv", glomers.workloads.linkv.LinKvHandler::new);
    register("txn-rw-register", glomers.workloads.txn.TxnHandler::rwRegister);
    register("txn-list-append", glomers.workloads.txn.TxnHandler::listAppend);
  }

  private NodeWorkloads() {}

  /** Registered names, in registration order. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(REGISTRY.keySet());
  }

  public static boolean contains(String name) {
    return REGISTRY.containsKey(name);
  }

  /** A fresh handler for the workload, or null when no such workload is registered. */
  public static WorkloadHandler create(String name) {
    Supplier<WorkloadHandler> f = REGISTRY.get(name);
    return f == null ? null : f.get();
  }
}
