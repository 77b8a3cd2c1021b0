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

/**
 * Wires a {@link NodeRuntime} to a process's stdin and stdout: a reader thread that only reads lines and
 * hands them to the loop, which runs the handler and writes its lines itself, flushing whenever it runs
 * out of tasks. A separate writer thread would cost a hand-off per burst of replies, and on a machine with
 * more nodes than cores each hand-off waits for a core: measured at up to 25 ms per line with 25 nodes on
 * 2 cores (docs/runtime.md#thread-hand-offs). A full stdout pipe therefore stalls the loop, as it does a
 * Maelstrom node that writes from its handlers; harnesses read every node's stdout continuously.
 */
public final class StdioNode {
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
   * thread becomes the stdin reader; handler code runs on a new event-loop thread (a daemon), which also
   * writes stdout and flushes it after every burst of lines.
   *
   * @param settings trailing {@code key=value} settings from the command line
   */
  public static int run(WorkloadHandler handler, Map<String, String> settings, InputStream in, OutputStream out, PrintStream log)
      throws InterruptedException {
    Stdout stdout = new Stdout(out, log);
    RealEventLoop loop = new RealEventLoop().whenIdle(stdout::flush).start();
    // Fresh entropy per process (time-based seed mixed with the pid), so that e.g. unique-ids epochs differ
    // between two processes that run under the same node id.
    long seed = new SplittableRandom().nextLong() ^ (ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L);
    NodeRuntime runtime =
        new NodeRuntime(loop, stdout::write, new SplittableRandom(seed), settings, log)
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

    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = r.readLine()) != null) runtime.deliver(line);
    } catch (IOException e) {
      log.println("stdin read failed: " + e);
    }
    // stdin closed: let the loop finish what it has, then flush what it wrote.
    java.util.concurrent.CountDownLatch flushed = new java.util.concurrent.CountDownLatch(1);
    loop.execute(() -> {
      stdout.flush();
      flushed.countDown();
    });
    flushed.await(5, java.util.concurrent.TimeUnit.SECONDS);
    log.println(loop.latencyReport());
    return 0;
  }

  private static Storage storage(RealEventLoop loop, String id) {
    String dir = System.getenv(STATE_DIR_ENV);
    if (dir == null || dir.isBlank()) return new NoStorage(loop);
    return new FileStorage(loop, Path.of(dir, id));
  }

  /**
   * The node's stdout, written and flushed only by the loop thread: flushed when the loop runs out of
   * tasks, and after every {@value #MAX_UNFLUSHED} lines, so that a loop that never runs dry (a sustained
   * burst of peer traffic) still sends its replies within a bounded number of tasks. After a failed write
   * (the reader of the pipe is gone) lines are dropped, with one line on the log.
   */
  static final class Stdout {
    static final int MAX_UNFLUSHED = 32;
    private final BufferedWriter w;
    private final PrintStream log;
    private boolean failed;
    private int unflushed;

    Stdout(OutputStream out, PrintStream log) {
      this.w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      this.log = log;
    }

    void write(String line) {
      if (failed) return;
      try {
        w.write(line);
        w.write('\n');
        if (++unflushed >= MAX_UNFLUSHED) flush();
      } catch (IOException e) {
        fail(e);
      }
    }

    void flush() {
      if (failed) return;
      try {
        unflushed = 0;
        w.flush();
      } catch (IOException e) {
        fail(e);
      }
    }

    private void fail(IOException e) {
      failed = true;
      log.println("stdout write failed: " + e);
    }
  }
}
