package glomers.cli;

import glomers.node.StdioNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point ({@code target/launcher} runs this class):
 *
 * <pre>
 *   launcher NAME [key=value…]            e.g. launcher broadcast profile=latency
 *   launcher --workload NAME [key=value…]
 *   launcher --list                        registered node workloads, one per line
 *   launcher test &lt;maelstrom test flags…&gt;  the embedded harness
 *   launcher --help
 * </pre>
 *
 * Trailing {@code key=value} arguments become {@code Node.settings()}; Maelstrom forwards the non-option
 * arguments of {@code maelstrom test} to every node, so the same settings work under the real Maelstrom.
 * Each workload declares the settings it accepts in {@link NodeWorkloads}; any other key, or a malformed
 * value, ends the launcher with a one-line message on stderr and exit code {@link #USAGE} before the node
 * reads stdin.
 *
 * <p>Start-up matters (25 JVMs start at once on a loaded 2-core machine and must all answer {@code init}
 * quickly), so the common node invocation {@code NAME [key=value…]} bypasses picocli, whose command model
 * costs tens of milliseconds of CPU per process. Everything else goes to {@link Cli}. This class must not
 * mention picocli types in its public signatures: the JVM launcher reflects over the main class's public
 * methods, which would load picocli on every start.
 */
public final class Main {
  /** Exit code for usage errors (unknown workload, bad arguments), as picocli uses. */
  public static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> fast = fastPath(args);
    if (fast != null) System.exit(runNode(args[0], fast));
    System.exit(Cli.commandLine().execute(args));
  }

  /**
   * Settings when {@code args} is exactly {@code NAME [key=value…]} with a registered NAME; null when the
   * arguments need picocli.
   */
  static Map<String, String> fastPath(String[] args) {
    if (args.length == 0 || !NodeWorkloads.contains(args[0])) return null;
    List<String> rest = List.of(args).subList(1, args.length);
    for (String a : rest) if (a.startsWith("-") || a.indexOf('=') <= 0) return null;
    return parseSettings(rest);
  }

  static Map<String, String> parseSettings(List<String> args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      settings.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return settings;
  }

  /**
   * Runs the node until stdin closes. stdout belongs to the protocol alone, so {@code System.out} is
   * pointed at stderr first: a stray {@code println} in a handler then lands in the node log instead of
   * corrupting the protocol stream (Maelstrom stops reading a node after one malformed line).
   */
  static int runNode(String name, Map<String, String> settings) throws InterruptedException {
    FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
    PrintStream stderr = System.err;
    System.setOut(stderr);
    int rounds = NodeWorkloads.contains(name) && checked(name, settings) ? WarmUp.rounds() : 0;
    if (WarmUp.atStart()) {
      WarmUp.run(name, settings, rounds);
      rounds = 0;
    }
    return runNode(name, settings, rounds, System.in, stdout, stderr);
  }

  private static boolean checked(String name, Map<String, String> settings) {
    try {
      NodeWorkloads.settings(name).check(settings);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static int runNode(String name, Map<String, String> settings, InputStream in, OutputStream out, PrintStream log)
      throws InterruptedException {
    return runNode(name, settings, 0, in, out, log);
  }

  /** Runs the node; {@code warmUpRounds > 0} warms it up after {@code init} ({@link WarmUp#afterInit}). */
  static int runNode(String name, Map<String, String> settings, int warmUpRounds, InputStream in, OutputStream out, PrintStream log)
      throws InterruptedException {
    try {
      NodeWorkloads.settings(name).check(settings);
    } catch (IllegalArgumentException e) {
      log.println("launcher " + name + ": " + e.getMessage());
      return USAGE;
    }
    return StdioNode.run(WarmUp.afterInit(NodeWorkloads.create(name), name, settings, warmUpRounds), settings, in, out, log);
  }
}
