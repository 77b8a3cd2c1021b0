package glomers.cli;

import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Command-line entry point. The default command runs a Maelstrom node:
 *
 * <pre>
 *   launcher NAME [key=value…]            e.g. launcher broadcast fanout=4
 *   launcher --workload NAME [key=value…]
 *   launcher --list                        registered node workloads, one per line
 *   launcher test &lt;maelstrom test flags…&gt;  the embedded harness
 * </pre>
 *
 * Trailing {@code key=value} arguments become {@code Node.settings()}; Maelstrom forwards the non-option
 * arguments of {@code maelstrom test} to every node, so the same settings work under the real Maelstrom.
 *
 * <p>Startup matters (25 JVMs start at once on a loaded 2-core machine and must all answer {@code init}
 * within Maelstrom's deadline), so the common node invocation {@code NAME [key=value…]} bypasses picocli:
 * building picocli's command model costs tens of milliseconds of CPU per process. Anything else (options,
 * help, errors, subcommands) goes through picocli.
 */
@Command(
    name = "launcher",
    mixinStandardHelpOptions = true,
    version = "glomers 0.1.0",
    subcommands = {TestCommand.class},
    description = {
      "Runs a Gossip Glomers node speaking the Maelstrom protocol on stdin/stdout.",
      "Subcommand `test` runs the embedded Maelstrom-compatible harness."
    },
    footer = {"", "Examples:", "  launcher echo", "  launcher broadcast fanout=4", "  launcher test -w echo --bin target/launcher --time-limit 10"})
public final class Main implements Callable<Integer> {
  /** Exit code for usage errors (unknown workload, bad arguments), as picocli uses. */
  public static final int USAGE = 2;

  @Option(
      names = {"-w", "--workload"},
      paramLabel = "NAME",
      description = "Workload to run (alternative to the positional NAME).")
  String workload;

  @Option(names = "--list", description = "Print the registered node workloads, one per line, and exit.")
  boolean list;

  @Parameters(
      paramLabel = "NAME|key=value",
      arity = "0..*",
      description = {
        "The workload (Maelstrom's -w name) followed by optional key=value settings.",
        "Run `launcher --list` for the node workloads of this build."
      })
  List<String> positional = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Map<String, String> fast = fastPath(args);
    if (fast != null) System.exit(runNode(args[0], fast));
    System.exit(commandLine().execute(args));
  }

  /** The picocli command line (used by tests too). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
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

  @Override
  public Integer call() throws Exception {
    if (list) {
      NodeWorkloads.names().forEach(System.out::println);
      return 0;
    }
    List<String> settingArgs = positional;
    String name = workload;
    if (name == null) {
      if (positional.isEmpty()) return usage("no workload given");
      name = positional.get(0);
      settingArgs = positional.subList(1, positional.size());
    }
    if (!NodeWorkloads.contains(name)) {
      String hint = NodeWorkloads.MAELSTROM_NAMES.contains(name) ? " (a Maelstrom workload this build does not implement yet)" : "";
      return usage("unknown workload '" + name + "'" + hint);
    }
    Map<String, String> settings;
    try {
      settings = parseSettings(settingArgs);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    return runNode(name, settings);
  }

  private static int usage(String problem) {
    System.err.println("launcher: " + problem);
    System.err.println("valid workloads: " + String.join(" ", NodeWorkloads.names()));
    System.err.println("usage: launcher NAME [key=value…] | launcher --workload NAME [key=value…] | launcher test … | launcher --help");
    return USAGE;
  }

  /**
   * Runs the node until stdin closes. stdout belongs to the protocol alone, so {@code System.out} is
   * pointed at stderr first: a stray {@code println} in a handler then lands in the node log instead of
   * corrupting the protocol stream (Maelstrom stops reading a node after one malformed line).
   */
  static int runNode(String name, Map<String, String> settings) throws InterruptedException {
    WorkloadHandler handler = NodeWorkloads.create(name);
    FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
    PrintStream stderr = System.err;
    System.setOut(stderr);
    return StdioNode.run(handler, settings, System.in, stdout, stderr);
  }
}
