package glomers.workloads.uniqueids;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.WorkloadHandler;

/**
 * Challenge 2: globally unique ids that stay available under any partition.
 *
 * <p><b>Algorithm.</b> An id is {@code <node id>.<epoch>.<counter>}: the node id separates nodes, a
 * per-process random 64-bit epoch separates successive processes that run under the same node id, and a
 * counter separates the ids of one process. Generating one is a string concatenation, so the node never
 * talks to anyone: total availability under partitions comes for free, and latency is the local
 * processing time only.
 *
 * <p><b>Why an epoch.</b> A plain per-node counter would repeat itself if a node process were restarted
 * with the same id (Maelstrom 0.2.3 never restarts nodes, but a supervisor or a re-run could). Persisting
 * the counter would need a disk write per id; a wall-clock prefix breaks if the clock steps backwards. A
 * random epoch drawn at start-up costs nothing, and two processes of one node collide with probability
 * 2^-64 per restart pair. The epoch comes from {@link Node#random()}, which the production runtime seeds
 * per process from the clock and the process id (tests inject seeds; a simulated restart is a new runtime
 * with a new seed). Why ids are unique, case by case: docs/uniqueids.md.
 *
 * <p><b>Why strings.</b> Maelstrom's checker counts equal values, so any type would do, but mixing types
 * invites surprises ({@code 1} vs {@code 1.0}); strings are unambiguous, and base-36 keeps them short
 * (fewer bytes per reply at 1000 ops/s).
 */
public final class UniqueIdsHandler implements WorkloadHandler {
  private String prefix;
  private long counter;

  @Override
  public void install(Node node) {
    node.onInit(
        () -> prefix = node.id() + "." + Long.toUnsignedString(node.random().nextLong(), 36) + ".");
    node.on(
        "generate",
        msg -> {
          ObjectNode reply = node.body("generate_ok");
          reply.put("id", prefix + Long.toString(counter++, 36));
          node.reply(msg, reply);
        });
  }
}
