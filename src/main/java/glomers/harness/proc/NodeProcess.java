package glomers.harness.proc;

import glomers.harness.net.Envelope;
import glomers.harness.net.Network;
import glomers.harness.net.WireLine;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One node process, wired like Maelstrom's {@code maelstrom.process}: cwd = {@code java.io.tmpdir},
 * environment inherited, three I/O threads.
 *
 * <ul>
 *   <li>stdin: takes messages for this node from the network (latency, partitions) and writes one JSON
 *       line each, flushed.
 *   <li>stdout: each line must be a JSON object matching the closed envelope schema {@code {src, dest,
 *       body, id?}} with registered src/dest (docs/maelstrom.md#wire-format-and-envelope-validation). The
 *       first violation silences the node for the rest of the test, as v0.2.3 does (its reader stops
 *       consuming); we keep draining the pipe but ignore the lines (so the node does not block on a full
 *       pipe, which only matters for its stderr logs) and report a loud diagnostic naming the node, the
 *       line and the rule.
 *   <li>stderr: to {@code node-logs/<id>.log}, and to the console with {@code --log-stderr}.
 * </ul>
 *
 * The last 32 stdout/stderr lines are kept for the "node crashed" error at teardown.
 */
public final class NodeProcess {
  private static final int DEBUG_LINES = 32;
  /**
   * The environment variable that tells a node which directory is its own and survives its restarts
   * (docs/faults.md#the-fault-nemeses); our node runtime keeps its durable store there.
   */
  public static final String STATE_DIR_ENV = "GLOMERS_STATE_DIR";

  private final String id;
  private final Network net;
  private final Consumer<String> diagnostics;
  private final Process process;
  private final Writer log;
  private final Path logFile;
  private final PrintStream console;
  private final ArrayDeque<String> stdoutTail = new ArrayDeque<>();
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private volatile boolean silenced;
  private volatile boolean killed;
  /** Set by {@link #quiesce}: stdout lines are dropped unread. */
  private volatile boolean ignoreOutput;

  /**
   * Registers {@code id} on the network and starts the process.
   *
   * @throws IOException the binary cannot be started (Maelstrom: "Cannot run program …", exit 255)
   */
  public NodeProcess(String id, List<String> command, Path logFile, PrintStream console, Network net,
      Consumer<String> diagnostics) throws IOException {
    this(id, command, null, logFile, console, net, diagnostics);
  }

  /**
   * As above, in the node's own working directory {@code workDir} (null: {@code java.io.tmpdir}, as
   * Maelstrom), which the environment also names as {@value #STATE_DIR_ENV}. The log file is appended to,
   * so a restarted node's log continues its previous one.
   */
  public NodeProcess(String id, List<String> command, Path workDir, Path logFile, PrintStream console, Network net,
      Consumer<String> diagnostics) throws IOException {
    this.id = id;
    this.net = net;
    this.diagnostics = diagnostics;
    this.logFile = logFile;
    this.console = console;
    net.register(id);
    Files.createDirectories(logFile.getParent());
    this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir == null ? new File(System.getProperty("java.io.tmpdir")) : workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    if (workDir != null) pb.environment().put(STATE_DIR_ENV, workDir.toString());
    this.process = pb.start();
    process.onExit().thenRun(() -> {
      if (!killed) {
        diagnostics.accept("node " + id + " exited early with status " + process.exitValue()
            + " — a node must stay alive until the harness kills it (docs/maelstrom.md#processes);"
            + " requests to it will"
            + " time out and the test will fail with \"node crashed\" at teardown, exit 255 (as Maelstrom)");
      }
    });
    thread("stdin", this::stdinLoop);
    thread("stdout", this::stdoutLoop);
    thread("stderr", this::stderrLoop);
  }

  private void thread(String name, Runnable r) {
    Thread t = new Thread(r, id + " " + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  public String id() {
    return id;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Whether the harness killed this process (rather than it exiting on its own). */
  public boolean killed() {
    return killed;
  }

  public boolean silenced() {
    return silenced;
  }

  private void stdinLoop() {
    try (Writer w = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
      boolean broken = false;
      while (running) {
        Envelope e = net.poll(id, 100_000_000L);
        if (e == null || broken) continue;
        try {
          w.write(Network.line(e));
          w.write('\n');
          w.flush();
        } catch (IOException ex) {
          broken = true; // the process died; the crash is reported at teardown
        }
      }
    } catch (InterruptedException | IOException ignored) {
      // shutting down
    }
  }

  private void stdoutLoop() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (silenced || !running || ignoreOutput) continue;
        String problem = WireLine.accept(line, net);
        if (problem != null) {
          silenced = true;
          diagnostics.accept(WireLine.silencedDiagnostic(id, line, problem));
          continue;
        }
        synchronized (stdoutTail) {
          tail(stdoutTail, line);
        }
      }
    } catch (IOException ignored) {
      // process gone
    }
  }

  private void stderrLoop() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderrTail) {
          tail(stderrTail, line);
        }
        synchronized (log) {
          log.write(line);
          log.write('\n');
          log.flush();
        }
        if (console != null) console.println(id + " | " + line);
      }
    } catch (IOException ignored) {
      // process gone or log closed
    }
  }

  private static void tail(ArrayDeque<String> q, String line) {
    if (q.size() == DEBUG_LINES) q.removeFirst();
    q.addLast(line);
  }

  /**
   * Teardown step 0: stop accepting the node's output, so that replies racing the closing of the clients
   * are not reported as protocol violations (Maelstrom would log and drop them too).
   */
  public void quiesce() {
    // Only the output side: stdin must stay open (closing it makes a node exit on EOF, and a node that is
    // no longer alive at stop() is reported as crashed).
    ignoreOutput = true;
  }

  /**
   * Teardown: if still alive, kill it (SIGKILL, wait ≤ 5 s) and return null; if it had already exited,
   * return Maelstrom's "node crashed" message with the last 32 stdout and stderr lines.
   */
  public String stop() {
    kill();
    return finishStop();
  }

  private volatile Boolean crashedAtStop;

  /**
   * Teardown, first half: records whether the node had already exited (a crash) and SIGKILLs it if not.
   * Call on every node before {@link #finishStop} on any, so that no node outlives its peers' teardown.
   */
  public void kill() {
    if (crashedAtStop != null) return;
    crashedAtStop = !process.isAlive();
    killed = true;
    if (!crashedAtStop) forceKill();
  }

  /** Teardown, second half: waits for the process and its I/O threads; returns the crash report or null. */
  public String finishStop() {
    kill();
    boolean crashed = crashedAtStop;
    if (!crashed) {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    endIo(crashed ? 1000 : 200);
    net.unregister(id);
    if (!crashed) return null;
    String out, err;
    synchronized (stdoutTail) {
      out = String.join("\n", stdoutTail);
    }
    synchronized (stderrTail) {
      err = String.join("\n", stderrTail);
    }
    return "Node " + id + " crashed with exit status " + process.exitValue() + ". Before crashing, it wrote to STDOUT:\n\n"
        + out + "\n\nAnd to STDERR:\n\n" + err + "\n\nFull STDERR logs are available in " + logFile;
  }

  /** Forcibly kills the process without any bookkeeping (shutdown hook / emergency path). */
  public void destroy() {
    killed = true;
    forceKill();
  }

  /** SIGKILL to the process and whatever it started (a wrapper script's children must not outlive it). */
  private void forceKill() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    process.destroyForcibly();
    for (ProcessHandle h : tree) h.destroyForcibly();
  }

  /**
   * The kill nemesis: SIGKILL now, then wait for the process and its I/O threads. Unlike {@link #stop}, the
   * id stays registered (the network drops its messages until a new process takes over).
   */
  public void crash() {
    killed = true;
    crashedAtStop = false;
    forceKill();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endIo(500);
  }

  /** Stops the I/O threads (each given {@code joinMillis} to drain) and closes the node's log. */
  private void endIo(long joinMillis) {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(joinMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (log) {
      try {
        log.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** The pause nemesis: SIGSTOP to the process (and its children); messages queue up in the network. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT; delivery resumes. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String sig) {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig, String.valueOf(process.pid())));
    process.descendants().forEach(h -> cmd.add(String.valueOf(h.pid())));
    try {
      Process k = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      k.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      diagnostics.accept("cannot send SIG" + sig + " to node " + id + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits up to {@code millis} for the process to be gone (after {@link #destroy}). */
  public void awaitExit(long millis) {
    try {
      process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The process id (tests). */
  public long pid() {
    return process.pid();
  }
}
