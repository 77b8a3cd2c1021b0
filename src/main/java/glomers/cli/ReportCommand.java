package glomers.cli;

import glomers.harness.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report}: (re)writes report.html and the chart SVGs of a finished run's store directory. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes report.html (self-contained: charts, timeline, message flow) and latency.svg, rate.svg,",
      "message-rate.svg into a run's store directory, from its results.json, history.jsonl and net-journal.jsonl."
    })
public final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "STORE-DIR", description = "A run directory (default store/latest).")
  Path dir = Path.of("store", "latest");

  @Option(names = "--latest", description = "Also point <store>/latest at this run.")
  boolean latest;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      System.err.println("not a directory: " + dir);
      return 2;
    }
    Report.Output out = Report.writeFor(dir, latest);
    System.out.println(out.html());
    return 0;
  }
}
