package glomers.node;

/** A scheduled timer that can be cancelled; cancelling twice or after it ran is harmless. */
@FunctionalInterface
public interface Cancellable {
  void cancel();
}
