package glomers.arch.planted.node;

/** Breaks the node rule: a handler that uses the harness. */
public final class Handler {
  Object checker = new glomers.arch.planted.harness.Checker();
}
