package glomers.harness.workload;

import glomers.harness.check.CheckContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Every parsed {@code maelstrom test} option (docs/maelstrom.md#options), immutable. Built from the command line by
 * {@code glomers.harness.run.TestOptions} or, in unit tests, by {@link #builder()} whose defaults are Maelstrom's.
 *
 * <p>All randomness of a run derives from {@link #seed()}: call {@link #random(String)} with a fixed
 * purpose name to get an independent, reproducible stream.
 */
public final class TestSpec {
  private final String workload;
  private final String bin;
  private final List<String> nodeArgs;
  private final List<String> nodeIds;
  private final int concurrency;
  private final double rate;
  private final double timeLimitSeconds;
  private final double latencyMs;
  private final String latencyDist;
  private final Set<String> nemesis;
  private final double nemesisIntervalSeconds;
  private final Object availability;
  private final List<String> consistencyModels;
  private final String topology;
  private final Integer keyCount;
  private final int maxTxnLength;
  private final int maxWritesPerKey;
  private final boolean logStderr;
  private final long seed;
  private final boolean strict;
  private final Path storeRoot;
  private final boolean journal;

  private TestSpec(Builder b) {
    this.workload = b.workload;
    this.bin = b.bin;
    this.nodeArgs = List.copyOf(b.nodeArgs);
    this.nodeIds = List.copyOf(b.nodeIds);
    this.concurrency = b.concurrency;
    this.rate = b.rate;
    this.timeLimitSeconds = b.timeLimitSeconds;
    this.latencyMs = b.latencyMs;
    this.latencyDist = b.latencyDist;
    this.nemesis = Collections.unmodifiableSet(new LinkedHashSet<>(b.nemesis));
    this.nemesisIntervalSeconds = b.nemesisIntervalSeconds;
    this.availability = b.availability;
    this.consistencyModels = List.copyOf(b.consistencyModels);
    this.topology = b.topology;
    this.keyCount = b.keyCount;
    this.maxTxnLength = b.maxTxnLength;
    this.maxWritesPerKey = b.maxWritesPerKey;
    this.logStderr = b.logStderr;
    this.seed = b.seed;
    this.strict = b.strict;
    this.storeRoot = b.storeRoot;
    this.journal = b.journal;
  }

  /** A builder with Maelstrom's defaults: nodes n1..n5, concurrency 1n, rate 5, time limit 60 s … */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.workload = workload;
    b.bin = bin;
    b.nodeArgs = new ArrayList<>(nodeArgs);
    b.nodeIds = new ArrayList<>(nodeIds);
    b.concurrency = concurrency;
    b.rate = rate;
    b.timeLimitSeconds = timeLimitSeconds;
    b.latencyMs = latencyMs;
    b.latencyDist = latencyDist;
    b.nemesis = new LinkedHashSet<>(nemesis);
    b.nemesisIntervalSeconds = nemesisIntervalSeconds;
    b.availability = availability;
    b.consistencyModels = new ArrayList<>(consistencyModels);
    b.topology = topology;
    b.keyCount = keyCount;
    b.maxTxnLength = maxTxnLength;
    b.maxWritesPerKey = maxWritesPerKey;
    b.logStderr = logStderr;
    b.seed = seed;
    b.strict = strict;
    b.storeRoot = storeRoot;
    b.journal = journal;
    return b;
  }

  /** {@code -w}: the workload name. */
  public String workload() { return workload; }
  /** {@code --bin}: the node executable. */
  public String bin() { return bin; }
  /** Trailing non-option arguments, passed to every node. */
  public List<String> nodeArgs() { return nodeArgs; }
  /** Server node ids in test order ({@code n0..} with --node-count, else {@code n1..n5}). */
  public List<String> nodeIds() { return nodeIds; }
  public int nodeCount() { return nodeIds.size(); }
  /** Number of client worker threads (already resolved from {@code Kn}). */
  public int concurrency() { return concurrency; }
  /** {@code --rate}: target ops/s over all workers. */
  public double rate() { return rate; }
  /** {@code --time-limit} in seconds (main phase). */
  public double timeLimitSeconds() { return timeLimitSeconds; }
  /** {@code --latency}: mean added latency of server↔server messages, ms. */
  public double latencyMs() { return latencyMs; }
  /** {@code --latency-dist}: constant, uniform or exponential. */
  public String latencyDist() { return latencyDist; }
  /** {@code --nemesis}: a subset of partition, kill, pause, duplicate. */
  public Set<String> nemesis() { return nemesis; }
  public boolean partitions() { return nemesis.contains("partition"); }
  /** No fault beyond Maelstrom's partitions (the run heals only where Maelstrom does). */
  public boolean partitionsOnly() { return nemesis.isEmpty() || nemesis.equals(Set.of("partition")); }
  /** {@code --nemesis-interval} in seconds. */
  public double nemesisIntervalSeconds() { return nemesisIntervalSeconds; }
  /** {@code --availability}: null, {@code "total"} or a {@code Double} in [0,1]. */
  public Object availability() { return availability; }
  /** {@code --consistency-models} (default {@code [strict-serializable]}). */
  public List<String> consistencyModels() { return consistencyModels; }
  /** {@code --topology} (broadcast), default {@code grid}. */
  public String topology() { return topology; }
  /** {@code --key-count}, or null when not given (workload default applies). */
  public Integer keyCount() { return keyCount; }
  /** {@code --max-txn-length}, default 4. */
  public int maxTxnLength() { return maxTxnLength; }
  /** {@code --max-writes-per-key}, default 16. */
  public int maxWritesPerKey() { return maxWritesPerKey; }
  public boolean logStderr() { return logStderr; }
  /** {@code --seed}: the root of all randomness of the run. */
  public long seed() { return seed; }
  /** {@code --strict}: opt-in extra analyses beyond Maelstrom's (off by default). */
  public boolean strict() { return strict; }
  /** Directory under which {@code <workload>/<time>/} result dirs go (default {@code store}). */
  public Path storeRoot() { return storeRoot; }
  /** Whether to write the compact {@code net-journal.jsonl} event log. */
  public boolean journal() { return journal; }

  /** An independent, reproducible random stream for one purpose (e.g. "latency", "nemesis", "gen"). */
  public SplittableRandom random(String purpose) {
    long h = seed;
    for (char c : purpose.toCharArray()) h = h * 0x9E3779B97F4A7C15L + c;
    return new SplittableRandom(h ^ (h >>> 29));
  }

  /** Options as plain values keyed by Maelstrom's long option name (for checkers and results.json). */
  public Map<String, Object> options() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", workload);
    m.put("bin", bin);
    m.put("node-count", nodeIds.size());
    m.put("nodes", nodeIds);
    m.put("concurrency", concurrency);
    m.put("rate", rate);
    m.put("time-limit", timeLimitSeconds);
    m.put("latency", latencyMs);
    m.put("latency-dist", latencyDist);
    m.put("nemesis", new ArrayList<>(nemesis));
    m.put("nemesis-interval", nemesisIntervalSeconds);
    if (availability != null) m.put("availability", availability);
    m.put("consistency-models", consistencyModels);
    m.put("topology", topology);
    if (keyCount != null) m.put("key-count", keyCount);
    m.put("max-txn-length", maxTxnLength);
    m.put("max-writes-per-key", maxWritesPerKey);
    m.put("seed", seed);
    m.put("strict", strict);
    m.put("node-args", nodeArgs);
    return m;
  }

  /** The context checkers receive. */
  public CheckContext checkContext() {
    return new CheckContext(nodeIds, concurrency, options());
  }

  @Override
  public String toString() {
    return "TestSpec" + options();
  }

  /** Mutable builder; defaults are Maelstrom v0.2.3's. */
  public static final class Builder {
    private String workload = "lin-kv";
    private String bin;
    private List<String> nodeArgs = new ArrayList<>();
    private List<String> nodeIds = new ArrayList<>(List.of("n1", "n2", "n3", "n4", "n5"));
    private Integer concurrency;
    private String concurrencySpec = "1n";
    private double rate = 5;
    private double timeLimitSeconds = 60;
    private double latencyMs = 0;
    private String latencyDist = "constant";
    private Set<String> nemesis = new LinkedHashSet<>();
    private double nemesisIntervalSeconds = 10;
    private Object availability;
    private List<String> consistencyModels = new ArrayList<>(List.of("strict-serializable"));
    private String topology = "grid";
    private Integer keyCount;
    private int maxTxnLength = 4;
    private int maxWritesPerKey = 16;
    private boolean logStderr;
    private long seed = System.nanoTime() ^ 0x5DEECE66DL;
    private boolean strict;
    private Path storeRoot = Path.of("store");
    private boolean journal = true;

    private Builder() {}

    public Builder workload(String w) { this.workload = w; return this; }
    public Builder bin(String b) { this.bin = b; return this; }
    public Builder nodeArgs(List<String> a) { this.nodeArgs = new ArrayList<>(a); return this; }
    public Builder nodeIds(List<String> ids) { this.nodeIds = new ArrayList<>(ids); return this; }
    /** {@code --node-count}: ids {@code n0..n(count-1)}. */
    public Builder nodeCount(int count) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) ids.add("n" + i);
      this.nodeIds = ids;
      return this;
    }
    /** An absolute number of workers. */
    public Builder concurrency(int c) { this.concurrency = c; this.concurrencySpec = null; return this; }
    /** {@code N} or {@code Kn} (K × node count, resolved at build time). */
    public Builder concurrency(String spec) {
      parseConcurrency(spec, 1); // validate early
      this.concurrencySpec = spec;
      this.concurrency = null;
      return this;
    }
    public Builder rate(double r) { this.rate = r; return this; }
    public Builder timeLimitSeconds(double s) { this.timeLimitSeconds = s; return this; }
    public Builder latencyMs(double l) { this.latencyMs = l; return this; }
    public Builder latencyDist(String d) { this.latencyDist = d; return this; }
    public Builder nemesis(Set<String> n) { this.nemesis = new LinkedHashSet<>(n); return this; }
    public Builder nemesisIntervalSeconds(double s) { this.nemesisIntervalSeconds = s; return this; }
    /** null, {@code "total"} or a Double. */
    public Builder availability(Object a) { this.availability = a; return this; }
    public Builder consistencyModels(List<String> m) { this.consistencyModels = new ArrayList<>(m); return this; }
    public Builder topology(String t) { this.topology = t; return this; }
    public Builder keyCount(Integer k) { this.keyCount = k; return this; }
    public Builder maxTxnLength(int n) { this.maxTxnLength = n; return this; }
    public Builder maxWritesPerKey(int n) { this.maxWritesPerKey = n; return this; }
    public Builder logStderr(boolean b) { this.logStderr = b; return this; }
    public Builder seed(long s) { this.seed = s; return this; }
    public Builder strict(boolean s) { this.strict = s; return this; }
    public Builder storeRoot(Path p) { this.storeRoot = p; return this; }
    public Builder journal(boolean j) { this.journal = j; return this; }

    public TestSpec build() {
      if (concurrency == null) concurrency = parseConcurrency(concurrencySpec, nodeIds.size());
      return new TestSpec(this);
    }
  }

  /** Jepsen's {@code --concurrency}: an integer, or {@code Kn} meaning K × node count. */
  public static int parseConcurrency(String spec, int nodeCount) {
    String s = spec.trim();
    try {
      if (s.endsWith("n")) return Integer.parseInt(s.substring(0, s.length() - 1)) * nodeCount;
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--concurrency must be an integer, optionally followed by n: " + spec);
    }
  }
}
