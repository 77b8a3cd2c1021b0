package glomers.cli;

import glomers.node.StdioNode;
import glomers.workloads.echo.EchoHandler;
import java.util.Map;

/** Temporary entry point until the picocli CLI lands: runs the echo node. */
public final class Main {
  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new EchoHandler(), Map.of(), System.in, System.out, System.err));
  }
}
