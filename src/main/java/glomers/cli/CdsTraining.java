package glomers.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Build-time training run for the AppCDS archive ({@code target/glomers.jsa}): {@code mvn package} runs
 * this class once under {@code -XX:ArchiveClassesAtExit}, so every class a node loads on its way to
 * {@code init_ok} and its first requests (Jackson, the runtime, each registered handler) is archived
 * pre-parsed and pre-verified. Each node start then maps the archive instead of loading those classes from
 * jars, which is most of a JVM node's start-up CPU. Not used at run time.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    for (String name : NodeWorkloads.names()) train(name, 0);
    // The warm-up's own classes, so a node does not open glomers.jar for them (≈ 4 MB RSS); one echo round
    // only: every workload's warm-up traffic would grow the cache, and every node maps it. It runs after
    // init on a thread of its own, which is waited for so that every build archives the same classes.
    train("echo", 1);
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(WarmUp.THREAD)) t.join();
  }

  /** Runs one workload's node through a short session; its exit code (0: the session ran to the end). */
  static int train(String name, int warmUpRounds) throws InterruptedException {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    String input =
        String.join(
            "\n",
            "not json",
            "{\"id\":0,\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\",\"n1\",\"n2\"]}}",
            "{\"id\":1,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":\"Please echo 1\"}}",
            "{\"id\":2,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"generate\",\"msg_id\":2}}",
            "{\"id\":3,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"topology\",\"msg_id\":3,\"topology\":{\"n0\":[\"n1\"],\"n1\":[\"n0\"],\"n2\":[\"n0\"]}}}",
            "{\"id\":4,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"read\",\"msg_id\":4}}",
            "{\"id\":5,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"no-such-type\",\"msg_id\":5,\"x\":1.5}}",
            "");
    // Through Main's fast path, so Main and the classes it touches are archived too.
    return Main.runNode(
        name,
        Main.fastPath(new String[] {name}),
        warmUpRounds,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        OutputStream.nullOutputStream(),
        quiet);
  }
}
