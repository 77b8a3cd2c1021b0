package glomers.workloads.raft;

import java.util.Map;

/**
 * Timing knobs, settable as trailing {@code key=value} node arguments ({@code heartbeat-ms=100} …).
 *
 * <p>Defaults are sized for Maelstrom's lin-kv test: client RPCs time out after
 * {@code max(10 × latency, 1000)} ms, so a failover (detect + elect) should take well under a second,
 * while the election timeout must stay several network round trips long so that a healthy leader is not
 * deposed at {@code --latency 50} (RTT 100 ms). Heartbeats are only sent to followers that have not
 * received anything for {@code heartbeatMs}; under load real appends double as heartbeats.
 *
 * @param heartbeatMs idle interval after which the leader sends an empty AppendEntries
 * @param electionMinMs lower bound of the randomised election timeout; also the check-quorum period and
 *     the "recently heard from a leader" window of pre-vote
 * @param electionMaxMs upper bound (exclusive) of the randomised election timeout
 * @param tickMs resolution of the single periodic timer that drives elections and heartbeats
 * @param maxBatch maximum entries per AppendEntries message
 * @param forwardTimeoutMs how long a follower waits for the leader to answer a forwarded request
 */
public record RaftConfig(long heartbeatMs, long electionMinMs, long electionMaxMs, long tickMs, int maxBatch, long forwardTimeoutMs) {
  public static RaftConfig defaults() {
    return new RaftConfig(100, 500, 1000, 10, 256, 1000);
  }

  public static RaftConfig from(Map<String, String> s) {
    RaftConfig d = defaults();
    return new RaftConfig(
        num(s, "heartbeat-ms", d.heartbeatMs),
        num(s, "election-min-ms", d.electionMinMs),
        num(s, "election-max-ms", d.electionMaxMs),
        num(s, "tick-ms", d.tickMs),
        (int) num(s, "max-batch", d.maxBatch),
        num(s, "forward-timeout-ms", d.forwardTimeoutMs));
  }

  private static long num(Map<String, String> s, String key, long dflt) {
    String v = s.get(key);
    return v == null ? dflt : Long.parseLong(v.trim());
  }
}
