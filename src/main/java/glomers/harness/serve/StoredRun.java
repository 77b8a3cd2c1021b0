package glomers.harness.serve;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One run directory of the store as the index shows it: what a person scans for in a list of runs (workload, when,
 * how it was run, verdict, key figures) plus the links into the directory.
 *
 * @param path the directory relative to the store, with {@code /} separators ({@code echo/20261203T102426.763})
 * @param group the parent directory when runs are grouped below the workload level, else null (see {@link StoreScan})
 * @param start the start time from the directory name (else its modification time)
 * @param status {@link Status}
 * @param note the crash's first line, the progress of a running run, or why results.json could not be read
 * @param flags the options it ran with, as command-line flags
 * @param durationSeconds wall time from start to results.json or crash.txt; null while running
 * @param files the run's files worth opening, relative to the run directory ({@code report.html} first when present)
 */
public record StoredRun(
    String path,
    String group,
    String workload,
    LocalDateTime start,
    Integer nodeCount,
    String flags,
    Status status,
    String note,
    Figures figures,
    Double durationSeconds,
    List<String> files) {

  /** The verdict of a finished run, or why there is none. */
  public enum Status {
    VALID("valid"),
    INVALID("invalid"),
    UNKNOWN("unknown"),
    CRASHED("crashed"),
    RUNNING("running"),
    /** No results and nothing written for a while: killed, or results.json unreadable. */
    INCOMPLETE("incomplete");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The figures Maelstrom's users compare runs by; each null when the workload's results do not have it. */
  public record Figures(Long ops, Double availability, Double serversMsgsPerOp, Double latencyMedianMs,
      Double latencyMaxMs) {
    static final Figures NONE = new Figures(null, null, null, null, null);
  }

  /** The run's report, or null when it has none yet. */
  public String reportLink() {
    return files.contains("report.html") ? path + "/report.html" : null;
  }
}
