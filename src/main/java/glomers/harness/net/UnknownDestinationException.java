package glomers.harness.net;

/** A message named a source or destination that is not registered (Maelstrom: "Invalid dest for message"). */
public final class UnknownDestinationException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownDestinationException(String message) {
    super(message);
  }
}
