package glomers.cli;

import static glomers.node.Settings.bool;
import static glomers.node.Settings.count;
import static glomers.node.Settings.millis;
import static glomers.node.Settings.oneOf;
import static glomers.node.Settings.period;
import static glomers.node.Settings.word;

import glomers.node.Settings;
import glomers.node.WorkloadHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node-side workload registry: Maelstrom workload name ({@code -w} value) to a factory for its
 * handler and the {@code key=value} settings it accepts. The launcher's first argument picks one;
 * {@code launcher --list} prints the registered names (run.sh uses it to skip catalogue entries whose
 * workload a build does not register, so one catalogue serves any build).
 *
 * <p>The settings are declared here, next to the name, so that the launcher rejects a misspelt or
 * malformed setting before the node starts (see {@link Settings}); a handler reads them from
 * {@code Node.settings()} and owns their defaults. A workload's handler doc comment says what each means.
 */
public final class NodeWorkloads {
  /** Every workload name Maelstrom 0.2.3 knows, in the order of its documentation. */
  public static final java.util.List<String> MAELSTROM_NAMES =
      java.util.List.of(
          "echo", "unique-ids", "broadcast", "g-counter", "pn-counter", "g-set", "kafka",
          "txn-rw-register", "txn-list-append", "lin-kv");

  private record Entry(Supplier<WorkloadHandler> factory, Settings settings) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  private static void register(String name, Supplier<WorkloadHandler> factory, Settings settings) {
    if (REGISTRY.putIfAbsent(name, new Entry(factory, settings)) != null) {
      throw new IllegalStateException("duplicate workload " + name);
    }
  }

  private static final Settings GSET = Settings.of(period("gossip-ms"), millis("max-backoff-ms"));
  private static final Settings KAFKA =
      Settings.of(
          oneOf("mode", "clock", "owner"), period("repl-ms"), millis("rewind-ms"), millis("fwd-attempt-ms"),
          millis("fwd-deadline-ms"), period("commit-sync-ms"), count("poll-max"));
  private static final Settings BROADCAST =
      Settings.of(
          oneOf("profile", "balanced", "efficient", "latency", "hybrid"), oneOf("mode", "star", "direct", "hybrid"),
          millis("window-ms"), period("tick-ms"), bool("sync"), millis("sync-margin-ms"), bool("adaptive-margin"),
          millis("holdoff-ms"), millis("ack-delay-ms"), millis("rto-ms"), word("hub"));
  private static final Settings LIN_KV =
      Settings.of(
          period("heartbeat-ms"), millis("election-min-ms"), millis("election-max-ms"), period("tick-ms"),
          count("max-batch"), millis("forward-timeout-ms"));
  private static final Settings TXN =
      Settings.of(
          oneOf("mode", "rc", "strict"), count("window"), count("max-batch"), period("sync-ms"), count("sync-batch"),
          period("rto-ms"), millis("repl-wait-ms"));

  static {
    register("echo", glomers.workloads.echo.EchoHandler::new, Settings.NONE);
    register("unique-ids", glomers.workloads.uniqueids.UniqueIdsHandler::new, Settings.NONE);
    register("g-counter", glomers.workloads.counter.CounterHandler::growOnly, Settings.NONE);
    register("pn-counter", glomers.workloads.counter.CounterHandler::pn, Settings.NONE);
    register("g-set", glomers.workloads.gset.GSetHandler::new, GSET);
    register("kafka", glomers.workloads.kafka.KafkaHandler::new, KAFKA);
    register("broadcast", glomers.workloads.broadcast.BroadcastHandler::new, BROADCAST);
    register("lin-kv", glomers.workloads.linkv.LinKvHandler::new, LIN_KV);
    register("txn-rw-register", glomers.workloads.txn.TxnHandler::rwRegister, TXN);
    register("txn-list-append", glomers.workloads.txn.TxnHandler::listAppend, TXN);
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
    Entry e = REGISTRY.get(name);
    return e == null ? null : e.factory.get();
  }

  /** The settings a registered workload accepts. */
  public static Settings settings(String name) {
    return REGISTRY.get(name).settings;
  }
}
