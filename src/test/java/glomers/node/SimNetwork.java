package glomers.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import glomers.node.storage.MemoryStorage;
import glomers.node.storage.Storage;

/**
 * Test fixture shared by the simulated clusters of the node-side workload tests: nodes {@code n0 … n(k-1)}
 * as {@link NodeRuntime}s on one {@link SimEventLoop}, the init handshake, envelopes, and Maelstrom's
 * receive-side partition rules (a rule is checked when a message arrives, so a message in flight when a
 * partition starts is lost for good, as in Maelstrom's net).
 *
 * <p>What becomes of a line a node writes — client reply, simulated service, delayed delivery to a peer —
 * stays the owning cluster's policy ({@link Router}): the clusters differ there (latency model, which
 * services exist, how clients collect replies) and each test's determinism depends on its own choices,
 * down to the order in which it draws random numbers.
 */
public final class SimNetwork {
  /** Receives every line a node writes, already parsed. */
  @FunctionalInterface
  public interface Router {
    void route(String src, String dest, ObjectNode body, String line);
  }

  public final SimEventLoop loop;
  /** Node ids in order, {@code n0} first. */
  public final List<String> ids;
  private final Map<String, NodeRuntime> runtimes = new LinkedHashMap<>();
  private final Map<String, WorkloadHandler> handlers = new LinkedHashMap<>();
  /** dest → sources whose messages dest drops. */
  private final Map<String, Set<String>> drops = new HashMap<>();
  private final Router router;
  private final Map<String, MemoryStorage> storages = new HashMap<>();
  /** Wraps each node's storage from the next (re)start on (a mutant's faulty disk). */
  public UnaryOperator<Storage> disk = UnaryOperator.identity();
  private final Map<String, String> settings;
  private final PrintStream log;

  /** As the full constructor, with node logs discarded. */
  public SimNetwork(
      SimEventLoop loop,
      int n,
      Supplier<WorkloadHandler> handler,
      Function<String, SplittableRandom> randomFor,
      Map<String, String> settings,
      Router router) {
    this(loop, n, handler, randomFor, settings, new PrintStream(OutputStream.nullOutputStream()), router);
  }

  /**
   * Builds and installs {@code n} nodes (not yet initialised: see {@link #init}). {@code randomFor} is
   * called once per node, in id order, for the node's random source; every node logs to {@code log}.
   */
  public SimNetwork(
      SimEventLoop loop,
      int n,
      Supplier<WorkloadHandler> handler,
      Function<String, SplittableRandom> randomFor,
      Map<String, String> settings,
      PrintStream log,
      Router router) {
    this.loop = loop;
    this.router = router;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) names.add("n" + i);
    this.ids = Collections.unmodifiableList(names);
    this.settings = settings;
    this.log = log;
    for (String id : ids) start(id, handler.get(), randomFor.apply(id), MemoryStorage.Disk.empty());
  }

  private void start(String id, WorkloadHandler h, SplittableRandom random, MemoryStorage.Disk disk) {
    NodeRuntime[] self = new NodeRuntime[1];
    // a replaced node's timers still fire on the shared loop; what it writes goes nowhere
    self[0] = new NodeRuntime(loop, line -> {
      if (runtimes.get(id) == self[0]) route(line);
    }, random, settings, log);
    MemoryStorage memory = new MemoryStorage(loop, disk);
    storages.put(id, memory);
    Storage wrapped = this.disk.apply(memory);
    self[0].storage(x -> wrapped);
    self[0].install(h);
    runtimes.put(id, self[0]);
    handlers.put(id, h);
  }

  /**
   * The node crashed and a new process took its place: a fresh runtime and handler under the same id (not
   * yet initialised: send it {@code init}), on what its {@link MemoryStorage} had synced. The old one's
   * memory is gone and its output discarded.
   */
  public NodeRuntime restart(String id, WorkloadHandler h, SplittableRandom random) {
    if (!runtimes.containsKey(id)) throw new IllegalArgumentException("no node " + id);
    start(id, h, random, storages.get(id).crash());
    return runtimes.get(id);
  }

  /** Sends one node its {@code init} with every id. */
  public void init(String id, String client, long msgId) {
    ObjectNode body = Json.object();
    body.put("type", "init");
    body.put("msg_id", msgId);
    body.put("node_id", id);
    body.set("node_ids", Json.MAPPER.valueToTree(ids));
    deliver(client, id, body);
  }

  /**
   * Sends every node its {@code init} (from client {@code clientFor(id)}, msg_id from {@code msgIds}), in
   * id order, then runs the loop for 1 ms so the {@code init_ok}s reach the router.
   */
  public void init(Function<String, String> clientFor, LongSupplier msgIds) {
    for (String id : ids) init(id, clientFor.apply(id), msgIds.getAsLong());
    loop.runFor(1);
  }

  /** The node's runtime; a message to any other destination is a test failure. */
  public NodeRuntime runtime(String id) {
    NodeRuntime rt = runtimes.get(id);
    if (rt == null) throw new AssertionError("message to unknown destination: " + id);
    return rt;
  }

  /** Runtimes by id, in id order. */
  public Map<String, NodeRuntime> runtimes() {
    return Collections.unmodifiableMap(runtimes);
  }

  /** Installed handlers by id, in id order. */
  public Map<String, WorkloadHandler> handlers() {
    return Collections.unmodifiableMap(handlers);
  }

  public static String envelope(String src, String dest, ObjectNode body) {
    ObjectNode env = Json.object();
    env.put("src", src);
    env.put("dest", dest);
    env.set("body", body);
    return Json.write(env);
  }

  /** Delivers a message to a node now (no latency, no partition rule: clients and services use this). */
  public void deliver(String src, String dest, ObjectNode body) {
    runtime(dest).deliver(envelope(src, dest, body));
  }

  /** Delivers a node's line to node {@code dest} after {@code delayMs}, unless dest drops src by then. */
  public void deliverLater(long delayMs, String src, String dest, String line) {
    NodeRuntime target = runtime(dest);
    loop.schedule(
        delayMs,
        () -> {
          if (dropsFrom(dest, src)) return;
          target.deliver(line);
        });
  }

  public boolean dropsFrom(String dest, String src) {
    return drops.getOrDefault(dest, Set.of()).contains(src);
  }

  /** Replaces the rules: the group and the rest drop each other's messages, both ways. */
  public void partition(Set<String> group) {
    drops.clear();
    for (String a : ids) {
      for (String b : ids) {
        if (group.contains(a) != group.contains(b)) drop(a, b);
      }
    }
  }

  /** Cuts each given node off from every other node (both ways), on top of the current rules. */
  public void isolate(String... nodes) {
    for (String a : nodes) {
      for (String b : ids) {
        if (a.equals(b)) continue;
        drop(a, b);
        drop(b, a);
      }
    }
  }

  /** One-way drop, on top of the current rules: {@code dest} ignores everything from {@code src}. */
  public void drop(String dest, String src) {
    drops.computeIfAbsent(dest, k -> new HashSet<>()).add(src);
  }

  public void heal() {
    drops.clear();
  }

  private void route(String line) {
    JsonNode env;
    try {
      env = Json.parseTree(line);
    } catch (Exception e) {
      throw new AssertionError("node wrote malformed JSON: " + line, e);
    }
    router.route(env.get("src").asText(), env.get("dest").asText(), (ObjectNode) env.get("body"), line);
  }
}
