package glomers.workloads.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.run.HarnessRunner;
import glomers.harness.workload.TestSpec;
import glomers.node.WorkloadHandler;
import glomers.sim.Sim;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pause longer than a client's 5 s timeout: the client gives up and is replaced while its request waits
 * for the stopped node, which answers it on resuming. That reply must not silence the node (it cannot know
 * the client is gone); with a silenced peer a clock-mode node's polls never pass the peer's last watermark,
 * and every acknowledged send after it comes out unseen (docs/faults.md#kafka).
 */
class KafkaPauseSimTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path store;

  private record Run(HarnessRunner.Result result, String err) {}

  private Run run(Supplier<WorkloadHandler> handler, String flags) {
    List<String> args = new ArrayList<>(Arrays.asList(flags.split(" ")));
    args.addAll(List.of("--store", store.toString()));
    TestSpec spec = HarnessRunner.parse(args.toArray(String[]::new)).toSpec(null);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    HarnessRunner.Result r = Sim.run(spec, handler, Map.of(), QUIET, new PrintStream(err, true), false);
    return new Run(r, err.toString(StandardCharsets.UTF_8));
  }

  /** Seed 2 pauses n1 from the start for 5.5 s; the first request of n1's first client waits through it. */
  @Test
  void aNodeAnsweringRequestsThatWaitedThroughAPauseStaysValid() {
    for (String nodes : List.of("2", "3")) {
      Run r = run(KafkaHandler::new, "-w kafka --node-count " + nodes + " --concurrency 2n --time-limit 20 --rate 1000"
          + " --nemesis partition,kill,pause,duplicate --seed 2");
      assertFalse(r.err().contains("silenced"), nodes + " nodes: " + r.err());
      assertEquals(0, r.result().exitCode(), () -> nodes + " nodes: " + r.result().results());
    }
  }

  /** The rule is about the pause: a node that answers after the timeout on its own account is still silenced. */
  @Test
  void aReplyLateOnTheNodesOwnAccountStillSilencesIt() {
    Supplier<WorkloadHandler> slowOnce = () -> {
      boolean[] slowed = {false};
      return node -> node.on("echo", msg -> {
        long delay = slowed[0] ? 0 : 6000;
        slowed[0] = true;
        node.after(delay, () -> node.reply(msg, node.body("echo_ok").set("echo", msg.body().get("echo"))));
      });
    };
    Run r = run(slowOnce, "-w echo --node-count 2 --time-limit 10 --rate 10 --nemesis pause --seed 2");
    assertTrue(r.err().contains("silenced"), r.err());
  }
}
