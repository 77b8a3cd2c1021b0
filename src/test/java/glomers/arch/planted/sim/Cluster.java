package glomers.arch.planted.sim;

/** The in-process simulation: it may use both sides. */
public final class Cluster {
  Object checker = new glomers.arch.planted.harness.Checker();
  Object handler = new glomers.arch.planted.node.Handler();
}
