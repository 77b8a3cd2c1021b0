package glomers.harness.run;

import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workloads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every option of {@code maelstrom test} v0.2.3 (docs/maelstrom.md#options), defaults and validation
 * included, as one picocli mixin: the harness owns its option language, and each command that runs tests
 * ({@code test} on node processes, {@code sim} in-process) mixes it in. Extensions: {@code --seed},
 * {@code --strict}, {@code --store}, {@code --no-net-journal}. The trailing arguments go to every node.
 */
public final class TestOptions {
  @Option(names = {"-w", "--workload"}, description = "Workload, e.g. echo, broadcast (default lin-kv).")
  String workload = "lin-kv";

  @Option(names = "--bin", description = "Node executable (required).")
  String bin;

  @Option(names = "--node-count", description = "Number of nodes n0..n{N-1}; unset → n1..n5.")
  Integer nodeCount;

  @Option(names = "--nodes", split = ",", description = "Jepsen: comma-separated node ids.")
  List<String> nodes;

  @Option(names = {"-n", "--node"}, description = "Jepsen: a node id (repeatable).")
  List<String> node;

  @Option(names = "--time-limit", description = "Seconds of main phase (default 60).")
  double timeLimit = 60;

  @Option(names = "--rate", description = "Target ops/s over all workers (default 5).")
  double rate = 5;

  @Option(names = "--concurrency", description = "Workers: N or Kn = K × node count (default 1n).")
  String concurrency = "1n";

  @Option(names = "--latency", description = "Mean ms added to server↔server messages (default 0).")
  double latency = 0;

  @Option(names = "--latency-dist", description = "constant | uniform | exponential (default constant).")
  String latencyDist = "constant";

  /** Maelstrom's partition, then the faults beyond Maelstrom (docs/faults.md#the-fault-nemeses). */
  static final List<String> NEMESES = List.of("partition", "kill", "pause", "duplicate");

  @Option(names = "--nemesis", split = ",", description = "Faults, comma- or space-separated: partition (as"
      + " Maelstrom); beyond Maelstrom: kill, pause, duplicate.")
  List<String> nemesis = new ArrayList<>();

  @Option(names = "--nemesis-interval", description = "Mean seconds between nemesis ops (default 10).")
  double nemesisInterval = 10;

  @Option(names = "--availability", description = "Required ok fraction in [0,1], or `total`.")
  String availability;

  @Option(names = "--consistency-models", description = "txn workloads (default strict-serializable).")
  String consistencyModels = "strict-serializable";

  @Option(names = "--topology", description = "broadcast: line grid tree tree2 tree3 tree4 total.")
  String topology = "grid";

  @Option(names = "--key-count", description = "txn-*, kafka: number of keys.")
  Integer keyCount;

  @Option(names = "--max-txn-length", description = "txn-*: max micro-ops (default 4).")
  int maxTxnLength = 4;

  @Option(names = "--max-writes-per-key", description = "txn-*, kafka (default 16).")
  int maxWritesPerKey = 16;

  @Option(names = "--log-stderr", description = "Echo node stderr to the console.")
  boolean logStderr;

  @Option(names = "--log-net-send", description = "Accepted for compatibility (ignored).")
  boolean logNetSend;

  @Option(names = "--log-net-recv", description = "Accepted for compatibility (ignored).")
  boolean logNetRecv;

  @Option(names = "--seed", description = "Seed of all harness randomness (default: random, printed).")
  Long seed;

  @Option(names = "--strict", description = "Opt-in extra analyses beyond Maelstrom's.")
  boolean strict;

  @Option(names = "--store", description = "Root directory of result dirs (default store).")
  Path store = Path.of("store");

  @Option(names = "--no-net-journal", description = "Do not write net-journal.jsonl.")
  boolean noJournal;

  @Parameters(description = "Extra arguments passed to every node (e.g. fanout=4).")
  List<String> nodeArgs = new ArrayList<>();

  /** {@code --bin}, or null when not given. */
  public String bin() {
    return bin;
  }

  /** The trailing arguments. */
  public List<String> nodeArgs() {
    return nodeArgs;
  }

  /** Parses and validates the options into a spec; IllegalArgumentException → exit 254. */
  public TestSpec toSpec() {
    if (bin == null) throw new IllegalArgumentException("--bin is required");
    return toSpec(bin);
  }

  /** As {@link #toSpec()}, with the node executable given by the caller (null: nodes run in-process). */
  public TestSpec toSpec(String bin) {
    if (!Workloads.known(workload)) {
      throw new IllegalArgumentException("unknown workload " + workload + "; expected one of " + Workloads.names());
    }
    TestSpec.Builder b = TestSpec.builder().workload(workload).bin(bin).nodeArgs(nodeArgs);
    if (nodeCount != null) {
      if (nodeCount < 1) throw new IllegalArgumentException("--node-count must be positive");
      b.nodeCount(nodeCount);
    } else if (nodes != null || node != null) {
      List<String> ids = new ArrayList<>();
      if (nodes != null) ids.addAll(nodes);
      if (node != null) ids.addAll(node);
      b.nodeIds(ids);
    }
    b.concurrency(concurrency);
    if (!(timeLimit >= 0)) throw new IllegalArgumentException("--time-limit must be ≥ 0");
    if (!(rate >= 0)) throw new IllegalArgumentException("--rate must be ≥ 0");
    if (!(latency >= 0)) throw new IllegalArgumentException("--latency must be ≥ 0");
    if (!Set.of("constant", "uniform", "exponential").contains(latencyDist)) {
      throw new IllegalArgumentException("--latency-dist must be constant, uniform or exponential");
    }
    Set<String> nem = new LinkedHashSet<>();
    for (String n : nemesis) {
      if (n.isBlank()) continue;
      for (String kind : n.trim().split("[\\s,]+")) {
        if (kind.isEmpty()) continue;
        if (!NEMESES.contains(kind)) {
          throw new IllegalArgumentException("unknown --nemesis " + kind + "; one of " + String.join(", ", NEMESES));
        }
        nem.add(kind);
      }
    }
    if (!(nemesisInterval > 0)) throw new IllegalArgumentException("--nemesis-interval must be > 0");
    Object avail = null;
    if (availability != null) {
      if (availability.equals("total")) {
        avail = "total";
      } else {
        try {
          double a = Double.parseDouble(availability);
          if (a < 0 || a > 1) throw new NumberFormatException();
          avail = a;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--availability must be a number in [0,1] or total");
        }
      }
    }
    if (!Set.of("line", "grid", "tree", "tree2", "tree3", "tree4", "total").contains(topology)) {
      throw new IllegalArgumentException("unknown --topology " + topology);
    }
    // Maelstrom v0.2.3 splits on the regex \s+,\s+ (spaces required around commas); we keep that so
    // that "a,b" is one (unknown) model there and here alike.
    List<String> models = Arrays.asList(consistencyModels.trim().split("\\s+,\\s+"));
    b.rate(rate).timeLimitSeconds(timeLimit).latencyMs(latency).latencyDist(latencyDist).nemesis(nem)
        .nemesisIntervalSeconds(nemesisInterval).availability(avail).consistencyModels(models)
        .topology(topology).keyCount(keyCount).maxTxnLength(maxTxnLength).maxWritesPerKey(maxWritesPerKey)
        .logStderr(logStderr).strict(strict).storeRoot(store).journal(!noJournal);
    if (seed != null) b.seed(seed);
    TestSpec spec = b.build();
    if (spec.concurrency() < 0) throw new IllegalArgumentException("--concurrency must be ≥ 0");
    return spec;
  }
}
