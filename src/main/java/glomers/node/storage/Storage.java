package glomers.node.storage;

import java.util.List;
import java.util.Optional;

/**
 * A node's durable state: an append-only log of opaque records plus one snapshot slot. Nothing written is
 * durable until a {@link #sync} completes; a crash keeps exactly what was synced, so a node must not
 * acknowledge anything before the sync covering it has called back.
 *
 * <p>Called from the event-loop thread only; the sync callback runs on that thread too.
 */
public interface Storage {
  /** The records that survived the last restart, oldest first (after the snapshot, if any). */
  List<byte[]> recovered();

  /** The snapshot that survived the last restart. */
  Optional<byte[]> recoveredSnapshot();

  /** Appends a record; not durable until a later {@link #sync} completes. */
  void append(byte[] record);

  /**
   * Replaces the snapshot and discards every record appended before this call (the snapshot must cover
   * them). Not durable until a later {@link #sync} completes.
   */
  void snapshot(byte[] state);

  /** Makes everything written so far durable, then runs {@code done} on the event loop. */
  void sync(Runnable done);
}
