package glomers.arch.planted.harness;

/** Breaks the harness rule (a node class, a CLI class) and the sim rule; uses the exempted class. */
public final class Checker {
  Object node = glomers.arch.planted.node.Handler.class;
  Object command = new glomers.arch.planted.cli.Command();
  Object options = new glomers.arch.planted.cli.Options();
  Object sim = new glomers.arch.planted.sim.Cluster();
}
