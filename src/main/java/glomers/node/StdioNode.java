package glomers.node;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import glomers.node.storage.FileStorage;
import glomers.node.storage.NoStorage;
import glomers.node.storage.Storage;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Wires a {@link NodeRuntime} to a process's stdin and stdout: a reader thread that only reads lines and
 * hands them to the loop, and a writer thread that only writes lines and flushes. Neither runs handler
 * code.
 */
public final class StdioNode {
  /** A line for the writer, stamped when the loop sent it, so that the writer's hand-off lateness is known. */
  private record Out(String line, long sentNanos) {}

  private static final Out EOF = new Out("<eof>", 0);
  /**
   * The environment variable naming a directory that is this node's own and survives its restarts (a
   * harness that kills and restarts nodes sets it). Durable state then lives in {@code <dir>/<node id>}.
   * Without it nothing is kept ({@link NoStorage}): Maelstrom starts every node of every test in one shared directory,
   * where files would leak one test's state into the next, and it never restarts a node anyway.
   */
  public static final String STATE_DIR_ENV = "GLOMERS_STATE_DIR";
  /** Exit status of a node whose settings are invalid. */
  public static final int BAD_SETTING = 2;

  private StdioNode() {}

  /**
   * Runs the handler as a Maelstrom node until stdin closes. Returns the process exit code. The calling
   * thread becomes the stdin reader; handler code runs on a new event-loop thread and output is written
   * by a new stdout-writer thread (both daemons), which flushes after every burst of lines.
   *
   * @param settings trailing {@code key=value} settings from the command line
   */
  public static int run(WorkloadHandler handler, Map<String, String> settings, InputStream in, OutputStream out, PrintStream log)
      throws InterruptedException {
    LinkedBlockingQueue<Out> outbox = new LinkedBlockingQueue<>();
    Lateness writes = new Lateness();
    RealEventLoop loop = new RealEventLoop().reportAlso("writes", writes).start();
    // Fresh entropy per process (time-based seed mixed with the pid), so that e.g. unique-ids epochs differ
    // between two processes that run under the same node id.
    long seed = new SplittableRandom().nextLong() ^ (ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L);
    NodeRuntime runtime =
        new NodeRuntime(loop, line -> outbox.add(new Out(line, System.nanoTime())), new SplittableRandom(seed), settings, log)
            .storage(id -> storage(loop, id))
            .onBadSetting(text -> {
              log.println("bad setting: " + text);
              log.flush();
              System.exit(BAD_SETTING);
            });
    // Install synchronously: a handler that cannot even install (e.g. a bad setting) must fail the
    // process loudly (exit 1, Maelstrom reports the crash) rather than leave a node answering error 10.
    java.util.concurrent.CompletableFuture<Void> installed = new java.util.concurrent.CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            handler.install(runtime);
            installed.complete(null);
          } catch (Throwable t) {
            installed.completeExceptionally(t);
          }
        });
    try {
      installed.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SettingException bad) {
        log.println("bad setting: " + bad.getMessage());
        return BAD_SETTING;
      }
      log.println("workload handler failed to install: " + e.getCause());
      e.getCause().printStackTrace(log);
      return 1;
    }

    Thread writer = new Thread(() -> writeLoop(outbox, writes, out, log), "stdout-writer");
    writer.setDaemon(true);
    writer.start();

    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = r.readLine()) != null) runtime.deliver(line);
    } catch (IOException e) {
      log.println("stdin read failed: " + e);
    }
    // stdin closed: let the loop finish what it has, then flush what it wrote.
    loop.execute(() -> outbox.add(EOF));
    writer.join(5000);
    log.println(loop.latencyReport());
    return 0;
  }

  private static Storage storage(RealEventLoop loop, String id) {
    String dir = System.getenv(STATE_DIR_ENV);
    if (dir == null || dir.isBlank()) return new NoStorage(loop);
    return new FileStorage(loop, Path.of(dir, id));
  }

  /** Writes lines in order; {@code writes} gets each line's lateness, from its send until the writer takes it. */
  private static void writeLoop(LinkedBlockingQueue<Out> outbox, Lateness writes, OutputStream out, PrintStream log) {
    try {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      while (true) {
        Out next = outbox.take();
        do {
          if (next == EOF) {
            w.flush();
            return;
          }
          writes.record(System.nanoTime() - next.sentNanos);
          w.write(next.line);
          w.write('\n');
        } while ((next = outbox.poll()) != null);
        w.flush(); // every line is flushed before the writer waits again
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.println("stdout write failed: " + e);
    }
  }
}
