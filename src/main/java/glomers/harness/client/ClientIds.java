package glomers.harness.client;

import java.util.concurrent.atomic.AtomicLong;

/** Maelstrom's global client id counter: {@code c0}, {@code c1}, … in order of opening. */
public final class ClientIds {
  private final AtomicLong next = new AtomicLong();

  public String next() {
    return "c" + next.getAndIncrement();
  }
}
