package glomers.arch.planted.harness;

/** Breaks the harness rule (a node class, a CLI class) and the sim rule. */
public final class Checker {
  Object node = glomers.arch.planted.node.Handler.class;
  Object command = new glomers.arch.planted.cli.Command();
  Object sim = new glomers.arch.planted.sim.Cluster();
}
