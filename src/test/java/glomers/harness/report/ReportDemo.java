package glomers.harness.report;

import java.nio.file.Path;

/** Writes a synthetic report for eyeballing: {@code java ... ReportDemo <dir> [nodes rate seconds lose]}. */
public final class ReportDemo {
  public static void main(String[] args) throws Exception {
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 100;
    double secs = args.length > 3 ? Double.parseDouble(args[3]) : 20;
    boolean lose = args.length > 4 && Boolean.parseBoolean(args[4]);
    RunData run = SyntheticRun.broadcast(nodes, nodes, rate, secs, lose, 42);
    long t0 = System.nanoTime();
    Report.Output out = Report.write(run, Path.of(args[0]));
    System.out.println(out.html() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms; history " + run.history().size()
        + ", messages " + run.messages().size());
  }
}
