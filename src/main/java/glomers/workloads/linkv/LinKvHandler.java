package glomers.workloads.linkv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.ErrorCode;
import glomers.protocol.Message;
import glomers.workloads.raft.RaftConfig;
import glomers.workloads.raft.RaftNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Maelstrom's lin-kv workload on our own Raft: a linearizable key-value store where any node
 * accepts {@code read}, {@code write} and {@code cas}.
 *
 * <p><b>Writes and CAS</b> are appended to the Raft log by the leader and answered when applied, so every
 * replica applies them in the same order; a CAS whose precondition fails is answered with the definite
 * error 22 (or 20 for a missing key) computed deterministically at apply time.
 *
 * <p><b>Reads</b> are not logged: the leader serves them with ReadIndex (leadership confirmed by a
 * majority after the read arrived, then wait until applied up to the commit index seen on arrival). That
 * keeps the log and the message count small while staying linearizable; a leader that might have been
 * deposed never answers a read from its own state.
 *
 * <p><b>Followers</b> forward requests to the leader they last heard from (one RPC, relaying the answer),
 * so clients bound to any node are served; a follower that cannot hear the leader itself but knows a
 * peer that does (Maelstrom's {@code majorities-ring} partition) relays through that peer. With no leader known, or one silent for longer than an
 * election timeout, they answer the definite error 11 right away: nothing was done, and a quick definite
 * failure frees the client instead of letting it time out. A forwarded request that times out is relayed
 * as the indefinite error 0 — the leader may have applied it.
 *
 * <p>Trade-offs: every operation costs a round trip to a majority (the price of linearizability);
 * availability during a partition exists only on the majority side; a leader change makes in-flight
 * requests indeterminate unless the old leader later learns their fate (then they are still answered,
 * see {@link RaftNode}).
 */
public final class LinKvHandler implements WorkloadHandler {
  /** How many times a request may be forwarded (a leader change can race with forwarding). */
  private static final int MAX_HOPS = 2;

  private final KvStateMachine kv = new KvStateMachine();
  private RaftNode raft;
  private RaftConfig config;
  private Node node;

  @Override
  public void install(Node node) {
    this.node = node;
    this.config = RaftConfig.from(node.settings());
    this.raft = new RaftNode(node, kv, config).install();
    raft.onRoleChange((role, term, leader) -> node.log("raft: %s in term %d (leader %s)", role, term, leader));
    node.on("read", this::onRead);
    node.on("write", this::onWrite);
    node.on("cas", this::onWrite);
  }

  /** For tests. */
  public RaftNode raft() {
    return raft;
  }

  private void onRead(Message m) {
    requireKey(m);
    if (!raft.isLeader()) {
      forward(m);
      return;
    }
    raft.linearizableRead().whenComplete((v, err) -> {
      if (err != null) replyError(m, err);
      else {
        try {
          node.reply(m, kv.read(m.body().get("key")));
        } catch (RpcException e) {
          node.replyError(m, e.code(), e.getMessage());
        }
      }
    });
  }

  private void onWrite(Message m) {
    requireKey(m);
    String type = m.type();
    if (type.equals("write") && !m.body().has("value")) throw RpcException.malformed("write needs 'value'");
    if (type.equals("cas") && (!m.body().has("from") || !m.body().has("to"))) throw RpcException.malformed("cas needs 'from' and 'to'");
    if (!raft.isLeader()) {
      forward(m);
      return;
    }
    ObjectNode cmd = m.body().deepCopy();
    cmd.remove("msg_id");
    cmd.remove("hops");
    raft.propose(cmd).whenComplete((reply, err) -> {
      if (err != null) replyError(m, err);
      else node.reply(m, reply.deepCopy());
    });
  }

  private void forward(Message m) {
    int hops = m.body().path("hops").asInt(0);
    String leader = raft.knownLeader();
    // No leader in reach: relay through a peer that hears one (only on the first hop, so that a relay
    // never bounces a request around).
    if (leader == null && hops == 0) leader = raft.relay();
    if (leader == null || leader.equals(node.id()) || hops >= MAX_HOPS) {
      throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "no known leader");
    }
    ObjectNode body = m.body().deepCopy();
    body.put("hops", hops + 1);
    CompletableFuture<Message> f = node.rpc(leader, body, config.forwardTimeoutMs());
    f.whenComplete((reply, err) -> {
      if (err != null) {
        replyError(m, err);
        return;
      }
      ObjectNode b = reply.body().deepCopy();
      b.remove("in_reply_to");
      b.remove("msg_id");
      node.reply(m, b);
    });
  }

  private void replyError(Message m, Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (t instanceof RpcException e) node.replyError(m, e.code(), e.getMessage());
    else node.replyError(m, ErrorCode.CRASH.code, String.valueOf(t));
  }

  private static void requireKey(Message m) {
    if (!m.body().has("key")) throw RpcException.malformed(m.type() + " needs 'key'");
  }
}
