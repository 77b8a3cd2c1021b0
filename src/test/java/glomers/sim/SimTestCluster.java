package glomers.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.harness.net.Envelope;
import glomers.harness.net.Latency;
import glomers.harness.net.Network;
import glomers.harness.net.UnknownDestinationException;
import glomers.harness.run.HarnessRunner;
import glomers.harness.run.TestRun;
import glomers.harness.service.LinKv;
import glomers.harness.service.LinTso;
import glomers.harness.service.LwwKv;
import glomers.harness.service.SeqKv;
import glomers.harness.service.ServiceRunner;
import glomers.harness.time.VirtualScheduler;
import glomers.harness.workload.TestSpec;
import glomers.node.WorkloadHandler;
import glomers.node.storage.Storage;
import glomers.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A hand-driven cluster on the simulation engine, for the algorithm tests of every workload: our handlers
 * as nodes {@code n0 … n(k-1)} ({@link SimBackend}, with its kill, restart and pause), on the harness's own
 * {@link Network} (latency and its distribution, receive-side partition rules, down and held ids,
 * duplication) and services ({@link SeqKv}, {@link LinKv}, {@link LwwKv}, {@link LinTso}), on one
 * {@link VirtualScheduler}. Where {@link Sim#run} runs a whole test from a generator and a nemesis schedule,
 * this lets a test take each step itself: a request to {@code n2}, a cut between {@code n1} and
 * {@code n2}, a crash of {@code n3} now, virtual time up to {@code t}.
 *
 * <p>The cluster is the main activity of its scheduler, on a thread of its own; each call of the test hands
 * it one step and waits for it, so virtual time stands still while the test thinks and one seed fixes the
 * whole schedule. Code that runs inside the simulation (a {@link #tap}, a {@link #step} body) calls the same
 * methods directly. Client links have no latency, node and service links the configured one, as under
 * {@code test} (docs/maelstrom.md#network).
 */
public final class SimTestCluster implements AutoCloseable {
  /** A message a node wrote and the network accepted, at virtual time {@code atMs}. */
  public record Sent(long atMs, String src, String dest, JsonNode body) {}

  /** A client request; {@link #reply()} is null until the node answered. */
  public final class Call {
    private final String client;
    private final long msgId;
    private final long sentAt;

    Call(String client, long msgId, long sentAt) {
      this.client = client;
      this.msgId = msgId;
      this.sentAt = sentAt;
    }

    public JsonNode reply() {
      Reply r = replies.get(client + "/" + msgId);
      return r == null ? null : r.body;
    }

    /** Milliseconds from the request to its reply; null while unanswered. */
    public Long replyDelay() {
      Reply r = replies.get(client + "/" + msgId);
      return r == null ? null : r.atMs - sentAt;
    }

    public long msgId() {
      return msgId;
    }
  }

  private record Reply(JsonNode body, long atMs) {}

  /**
   * One whole harness test on the simulation instead ({@link Sim#run}: generator, clients, nemesis and
   * checkers): {@code flags} as for {@code launcher sim}, the run stored under {@code store}, no report.
   */
  public static HarnessRunner.Result test(Path store, String flags, Supplier<WorkloadHandler> handler,
      Map<String, String> settings) {
    return test(store, flags, handler, settings, UnaryOperator.identity());
  }

  /** As above, every node's storage wrapped by {@code disk} (a mutant's faulty disk). */
  public static HarnessRunner.Result test(Path store, String flags, Supplier<WorkloadHandler> handler,
      Map<String, String> settings, UnaryOperator<Storage> disk) {
    List<String> args = new ArrayList<>(Arrays.asList(flags.trim().split("\\s+")));
    args.addAll(List.of("--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
    VirtualScheduler clock = new VirtualScheduler();
    HarnessRunner.Result r = new TestRun(spec, ps, ps, new SimBackend(handler, settings, clock).disk(disk), clock)
        .report(false).run();
    if (r.results() == null) throw new AssertionError("the run crashed: " + log.toString(StandardCharsets.UTF_8));
    return r;
  }

  /** The value at {@code path} in a run's results ({@code "workload", "valid?"}), or null. */
  public static Object result(HarnessRunner.Result r, String... path) {
    Object o = r.results();
    for (String p : path) o = o instanceof Map<?, ?> m ? m.get(p) : null;
    return o;
  }

  public static Builder builder(int nodes, Supplier<WorkloadHandler> handler) {
    return new Builder(nodes, handler);
  }

  /** The cluster's shape; {@link #start} builds it and initialises every node. */
  public static final class Builder {
    private final int nodes;
    private final Supplier<WorkloadHandler> handler;
    private Map<String, String> settings = Map.of();
    private double latencyMs;
    private String latencyDist = "constant";
    private long seed = 1;
    private UnaryOperator<Storage> disk = UnaryOperator.identity();
    private PrintStream log = Boolean.getBoolean("sim.log") ? System.err : null;

    private Builder(int nodes, Supplier<WorkloadHandler> handler) {
      this.nodes = nodes;
      this.handler = handler;
    }

    public Builder settings(Map<String, String> s) {
      settings = s;
      return this;
    }

    /** Node↔node and node↔service latency, {@code constant}, {@code uniform} or {@code exponential}. */
    public Builder latency(double ms, String dist) {
      latencyMs = ms;
      latencyDist = dist;
      return this;
    }

    public Builder latency(double ms) {
      return latency(ms, "constant");
    }

    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /** Wraps every node's storage (a mutant's faulty disk), from the first boot on. */
    public Builder disk(UnaryOperator<Storage> wrap) {
      disk = wrap;
      return this;
    }

    public SimTestCluster start() {
      return new SimTestCluster(this);
    }
  }

  private static final Step<Void> CLOSE = new Step<>(() -> null);

  private static final class Step<T> {
    final Callable<T> body;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Step(Callable<T> body) {
      this.body = body;
    }
  }

  private final VirtualScheduler clock = new VirtualScheduler();
  private final TestSpec spec;
  private final Network net;
  private final SimBackend backend;
  private final List<ServiceRunner> services = new ArrayList<>();
  private final List<String> ids;
  private final Map<String, String> settings;
  private final Map<String, Reply> replies = new HashMap<>();
  private final Set<String> clients = new HashSet<>();
  private final List<String> diagnostics = new ArrayList<>();
  private final LinkedBlockingQueue<Step<?>> steps = new LinkedBlockingQueue<>();
  private final Thread driver;
  private volatile Thread simThread;
  private volatile boolean over;
  private volatile Throwable failure;
  private long nextMsgId = 1;
  private Consumer<Sent> tap = s -> {};
  private boolean tapping;

  private SimTestCluster(Builder b) {
    spec = TestSpec.builder().workload("echo").nodeCount(b.nodes).seed(b.seed).journal(false).build();
    ids = spec.nodeIds();
    settings = b.settings;
    net = new Network(new Latency(b.latencyMs, b.latencyDist, spec.random("latency")), clock, 0, null);
    backend = new SimBackend(b.handler, b.settings, clock).disk(b.disk).tap(this::tapped);
    CompletableFuture<Void> started = new CompletableFuture<>();
    driver = new Thread(() -> drive(b.log, started), "sim-test-cluster");
    driver.setDaemon(true);
    driver.start();
    join(started);
    step(() -> {
      for (String id : ids) init(id, "c-init");
      runUntil(() -> ids.stream().allMatch(id -> initialised(id)), 1000);
      for (String id : ids) {
        if (!initialised(id)) throw new AssertionError(id + " did not answer init: " + diagnostics);
      }
      return null;
    });
  }

  private final Map<String, Call> inits = new HashMap<>();

  private boolean initialised(String id) {
    Call c = inits.get(id);
    return c != null && c.reply() != null;
  }

  private void drive(PrintStream log, CompletableFuture<Void> started) {
    try {
      clock.runMain(() -> {
        simThread = Thread.currentThread();
        for (var s : List.of(new LinKv(), new SeqKv(spec.random("seq-kv")), new LwwKv(spec.random("lww-kv")),
            new LinTso())) {
          ServiceRunner r = new ServiceRunner(s, net, diagnostics::add);
          services.add(r);
          r.start();
        }
        PrintStream quiet = log != null ? log : new PrintStream(OutputStream.nullOutputStream());
        backend.start(spec, null, net, diagnostics::add, quiet);
        started.complete(null);
        serve();
        return null;
      });
    } catch (Throwable t) {
      failure = t;
    } finally {
      over = true;
      started.completeExceptionally(failure != null ? failure : new IllegalStateException("cluster closed"));
      Step<?> s;
      while ((s = steps.poll()) != null) s.result.completeExceptionally(new IllegalStateException("cluster closed"));
    }
  }

  /** The main activity: runs the test's steps one at a time, holding virtual time while it waits. */
  private void serve() throws InterruptedException {
    while (true) {
      Step<?> s = steps.take();
      if (s == CLOSE) {
        backend.stop();
        for (ServiceRunner r : services) r.stop();
        return;
      }
      run(s);
    }
  }

  private static <T> void run(Step<T> s) {
    try {
      s.result.complete(s.body.call());
    } catch (Throwable t) {
      s.result.completeExceptionally(t);
    }
  }

  /**
   * Runs {@code body} inside the simulation as one step (no hand-over per call inside it), and returns
   * its result; errors and assertion failures come out as thrown.
   */
  public <T> T step(Callable<T> body) {
    if (Thread.currentThread() == simThread) {
      try {
        return body.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (over) throw new IllegalStateException("cluster is over", failure);
    Step<T> s = new Step<>(body);
    steps.add(s);
    return join(s.result);
  }

  public void step(Runnable body) {
    step(() -> {
      body.run();
      return null;
    });
  }

  private <T> T join(CompletableFuture<T> f) {
    while (true) {
      try {
        return f.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (over && !f.isDone()) throw new IllegalStateException("the simulation ended", failure);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) throw re;
        if (c instanceof Error er) throw er;
        throw new IllegalStateException(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    if (over) return;
    steps.add(CLOSE);
    try {
      driver.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ----------------------------------------------------------------------------------------------- time

  /** Virtual milliseconds since the cluster started. */
  public long now() {
    return clock.nanoTime() / 1_000_000L;
  }

  /** Lets {@code ms} of virtual time pass: every message, timer and service call due meanwhile runs. */
  public void run(long ms) {
    step(() -> {
      sleep(clock.nanoTime() + ms * 1_000_000L);
      return null;
    });
  }

  /** Runs everything due now (a request, the replies and tasks it triggers) without letting a millisecond pass. */
  public void settle() {
    step(() -> {
      sleep(clock.nanoTime() + 1);
      return null;
    });
  }

  /** Runs in 1 ms steps until {@code done} holds or {@code budgetMs} passed; returns whether it holds. */
  public boolean runUntil(BooleanSupplier done, long budgetMs) {
    return step(() -> {
      long end = clock.nanoTime() + budgetMs * 1_000_000L;
      settleNow();
      while (!done.getAsBoolean()) {
        if (clock.nanoTime() >= end) return false;
        sleep(Math.min(end, clock.nanoTime() + 1_000_000L));
      }
      return true;
    });
  }

  private void settleNow() {
    sleep(clock.nanoTime() + 1);
  }

  private void sleep(long nanos) {
    clock.sleepUntil(nanos);
  }

  // -------------------------------------------------------------------------------------------- clients

  public List<String> ids() {
    return ids;
  }

  /** The nodes' {@code key=value} settings. */
  public Map<String, String> settings() {
    return settings;
  }

  /** Sends a client request from client {@code c1} (a {@code msg_id} is added); the reply lands in the {@link Call}. */
  public Call send(String node, String bodyJson) {
    return send("c1", node, bodyJson);
  }

  public Call send(String client, String node, String bodyJson) {
    try {
      return send(client, node, Json.parseMap(bodyJson));
    } catch (IOException e) {
      throw new IllegalArgumentException("bad JSON body " + bodyJson, e);
    }
  }

  public Call send(String node, ObjectNode body) {
    return send("c1", node, body);
  }

  @SuppressWarnings("unchecked")
  public Call send(String client, String node, ObjectNode body) {
    return send(client, node, (Map<String, Object>) Json.toPlain(body));
  }

  public Call send(String client, String node, Map<String, Object> body) {
    if (!client.startsWith("c")) throw new IllegalArgumentException("client ids start with c: " + client);
    return step(() -> {
      register(client);
      long id = nextMsgId++;
      Map<String, Object> b = new LinkedHashMap<>(body);
      b.put("msg_id", id);
      try {
        net.send(client, node, b);
      } catch (UnknownDestinationException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return new Call(client, id, now());
    });
  }

  /** Sends a request and runs everything due now: the reply of a node that answers at once, else null. */
  public JsonNode request(String node, String bodyJson) {
    return step(() -> {
      Call c = send(node, bodyJson);
      settleNow();
      return c.reply();
    });
  }

  /** Sends a request and runs until its reply arrives (null when none within {@code budgetMs}). */
  public JsonNode call(String node, String bodyJson, long budgetMs) {
    return step(() -> {
      Call c = send(node, bodyJson);
      runUntil(() -> c.reply() != null, budgetMs);
      return c.reply();
    });
  }

  /** As {@link #call(String, ObjectNode, long)} with the clients' 10 s budget. */
  public JsonNode call(String node, ObjectNode body) {
    return call(node, body, 10_000);
  }

  public JsonNode call(String node, ObjectNode body, long budgetMs) {
    return step(() -> {
      Call c = send("c1", node, body);
      runUntil(() -> c.reply() != null, budgetMs);
      return c.reply();
    });
  }

  private void register(String client) {
    if (!clients.add(client)) return;
    net.register(client, e -> received(client, e));
  }

  private void received(String client, Envelope e) {
    if (!(e.body() instanceof Map<?, ?> m) || m.get("in_reply_to") == null) return;
    JsonNode body = Json.MAPPER.valueToTree(m);
    replies.put(client + "/" + body.get("in_reply_to").asLong(), new Reply(body, now()));
    Call init = inits.get(e.src());
    if (init != null && init.client.equals(client) && init.msgId == body.get("in_reply_to").asLong()) {
      net.up(e.src()); // a restarted node is back once it answered init, as after the kill nemesis
    }
  }

  private void init(String id, String client) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "init");
    body.put("node_id", id);
    body.put("node_ids", ids);
    inits.put(id, send(client, id, body));
  }

  // ----------------------------------------------------------------------------------------- the network

  /** Replaces the rules: {@code side} and the rest drop each other's messages, both ways. */
  public void partition(Set<String> side) {
    step(() -> {
      net.heal();
      Map<String, Set<String>> grudge = new HashMap<>();
      for (String a : ids) {
        for (String b : ids) {
          if (side.contains(a) != side.contains(b)) grudge.computeIfAbsent(a, k -> new HashSet<>()).add(b);
        }
      }
      net.drop(grudge);
    });
  }

  /** Cuts each given node off from every other node (both ways), on top of the current rules. */
  public void isolate(String... nodes) {
    step(() -> {
      for (String a : nodes) {
        for (String b : ids) {
          if (a.equals(b)) continue;
          net.drop(Map.of(a, Set.of(b), b, Set.of(a)));
        }
      }
    });
  }

  /** One-way cut on top of the current rules: {@code dest} drops everything from {@code src}. */
  public void drop(String dest, String src) {
    step(() -> net.drop(Map.of(dest, Set.of(src))));
  }

  /** Clears every partition rule. */
  public void heal() {
    step(net::heal);
  }

  /** The duplicate fault: every message between two of {@code nodes} is sent twice; empty ends it. */
  public void duplicate(Set<String> nodes) {
    step(() -> net.duplicate(nodes));
  }

  /** Messages between servers (nodes and services) sent so far, as {@code results.json} counts them. */
  public long serverMessages() {
    return step(() -> ((Number) ((Map<?, ?>) net.stats().result(0).get("servers")).get("send-count")).longValue());
  }

  /** Messages the network dropped so far (partitions, down nodes). */
  public long dropped() {
    return step(() -> net.stats().dropped());
  }

  /**
   * Sees every message a node writes, as the network accepts it, inside the simulation: it may crash or
   * restart the node that wrote it. Parsing each line costs, so only a test that needs it sets one.
   */
  public void tap(Consumer<Sent> t) {
    step(() -> {
      tap = t;
      tapping = true;
    });
  }

  private void tapped(String id, String line) {
    if (!tapping) return;
    JsonNode env;
    try {
      env = Json.parseTree(line);
    } catch (IOException e) {
      throw new AssertionError("node " + id + " wrote malformed JSON: " + line, e);
    }
    tap.accept(new Sent(now(), env.get("src").asText(), env.get("dest").asText(), env.get("body")));
  }

  // ------------------------------------------------------------------------------------------- the nodes

  /** The handler of node {@code id}'s current incarnation. */
  @SuppressWarnings("unchecked")
  public <H extends WorkloadHandler> H handler(String id) {
    return (H) step(() -> backend.handler(id));
  }

  /** The node dies now: messages to it are dropped, its storage keeps only what it had synced. */
  public void crash(String id) {
    step(() -> {
      net.down(id, null);
      backend.kill(id);
    });
  }

  /**
   * A new incarnation of a crashed node on what its storage had synced, initialised again with the same
   * ids; it is back on the network once it answered {@code init}. From the test thread this runs until
   * then; from inside the simulation (a {@link #tap}) it returns at once.
   */
  public void restart(String id) {
    boolean inside = Thread.currentThread() == simThread;
    step(() -> {
      String client = "c-init-" + id;
      register(client);
      net.down(id, client);
      backend.restart(id);
      init(id, client);
      if (!inside && !runUntil(() -> initialised(id), 1000)) {
        throw new AssertionError(id + " did not answer init after its restart: " + diagnostics);
      }
    });
  }

  /** The node stops running (SIGSTOP): its messages, tasks and timers wait until {@link #resume}. */
  public void pause(String id) {
    step(() -> {
      net.hold(id);
      if (ids.contains(id)) backend.pause(id);
    });
  }

  /** Lets a paused node, or a service that {@link #pause} stalled, run again. */
  public void resume(String id) {
    step(() -> {
      if (ids.contains(id)) backend.resume(id);
      net.release(id);
    });
  }

  /** What the harness reported so far (a node silenced by a bad line, a request a service could not handle). */
  public List<String> diagnostics() {
    return step(() -> List.copyOf(diagnostics));
  }
}
