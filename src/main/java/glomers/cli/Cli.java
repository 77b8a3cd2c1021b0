package glomers.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The picocli command behind {@link Main}: options ({@code --workload}, {@code --list}, {@code --help}),
 * usage errors, and the {@code test} subcommand. The plain {@code NAME [key=value…]} node invocation
 * never gets here (see {@link Main}).
 */
@Command(
    name = "launcher",
    mixinStandardHelpOptions = true,
    version = "glomers 0.1.0",
    subcommands = {TestCommand.class, SimCommand.class, ReportCommand.class, ServeCommand.class, AnalyzeCommand.class, DocCommand.class},
    description = {
      "Runs a Gossip Glomers node speaking the Maelstrom protocol on stdin/stdout.",
      "Subcommand `test` runs the embedded Maelstrom-compatible harness; `serve`, `analyze` and `doc` are",
      "Maelstrom's other commands over its store and docs (`launcher <subcommand> --help`)."
    },
    footer = {"", "Examples:", "  launcher echo", "  launcher broadcast profile=latency", "  launcher test -w echo --bin target/launcher --time-limit 10"})
public final class Cli implements Callable<Integer> {
  /** Exit code for usage errors (unknown workload, bad arguments), as picocli uses. */
  public static final int USAGE = Main.USAGE;

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

  /** The picocli command line (used by tests too). */
  public static CommandLine commandLine() {
    return new CommandLine(new Cli());
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
      settings = Main.parseSettings(settingArgs);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    return Main.runNode(name, settings);
  }

  private static int usage(String problem) {
    System.err.println("launcher: " + problem);
    System.err.println("valid workloads: " + String.join(" ", NodeWorkloads.names()));
    System.err.println("usage: launcher NAME [key=value…] | launcher --workload NAME [key=value…] | launcher test … | launcher --help");
    return USAGE;
  }

}
