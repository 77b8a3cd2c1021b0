package glomers.node.storage;

import glomers.node.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;

/**
 * {@link Storage} in files of the node's working directory, for real runs.
 *
 * <p>Records are framed as {@code length, crc32c, bytes} in {@code log.<generation>}; a torn or corrupt
 * tail (a crash mid-write) fails its length or checksum on restart and is cut off there, never trusted.
 * The snapshot file names the log generation that follows it and is replaced by an atomic rename, so a
 * crash during {@link #snapshot} leaves either the old snapshot with its log or the new one with its new,
 * empty log.
 *
 * <p>Group commit: appends go to the OS at once from the loop thread; {@link #sync} only queues its
 * callback, and one fsync on a worker thread covers every sync queued while the previous fsync ran.
 */
public final class FileStorage implements Storage {
  private static final String SNAPSHOT = "snapshot";

  private final EventLoop loop;
  private final Path dir;
  private final ExecutorService fsyncer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "storage-fsync");
            t.setDaemon(true);
            return t;
          });
  private final List<byte[]> recovered = new ArrayList<>();
  private final byte[] recoveredSnapshot;
  private long generation;
  private FileChannel log;
  /** Callbacks waiting for the next fsync; loop thread only. */
  private List<Runnable> waiting = new ArrayList<>();
  private boolean fsyncRunning;

  public FileStorage(EventLoop loop, Path dir) {
    this.loop = loop;
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      byte[] snap = readSnapshot();
      if (snap != null) {
        generation = ByteBuffer.wrap(snap).getLong();
        recoveredSnapshot = Arrays.copyOfRange(snap, 8, snap.length);
      } else {
        recoveredSnapshot = null;
      }
      log = FileChannel.open(logPath(generation), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long good = readRecords(log, recovered);
      log.truncate(good);
      log.position(good);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open storage in " + dir, e);
    }
  }

  @Override
  public List<byte[]> recovered() {
    return recovered;
  }

  @Override
  public Optional<byte[]> recoveredSnapshot() {
    return Optional.ofNullable(recoveredSnapshot);
  }

  @Override
  public void append(byte[] record) {
    try {
      writeFully(log, frame(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void snapshot(byte[] state) {
    try {
      long next = generation + 1;
      FileChannel nextLog =
          FileChannel.open(logPath(next), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      ByteBuffer body = ByteBuffer.allocate(8 + state.length).putLong(next).put(state).flip();
      Path tmp = dir.resolve(SNAPSHOT + ".tmp");
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        writeFully(c, frame(body.array()));
        c.force(true);
      }
      Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      log.close();
      Files.deleteIfExists(logPath(generation));
      generation = next;
      log = nextLog;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void sync(Runnable done) {
    waiting.add(done);
    if (!fsyncRunning) startFsync();
  }

  private void startFsync() {
    List<Runnable> batch = waiting;
    waiting = new ArrayList<>();
    fsyncRunning = true;
    FileChannel channel = log;
    fsyncer.execute(
        () -> {
          try {
            channel.force(false);
          } catch (IOException e) {
            throw new UncheckedIOException("fsync failed in " + dir, e);
          }
          loop.execute(
              () -> {
                fsyncRunning = false;
                for (Runnable r : batch) r.run();
                if (!waiting.isEmpty()) startFsync();
              });
        });
  }

  private Path logPath(long gen) {
    return dir.resolve("log." + gen);
  }

  private byte[] readSnapshot() throws IOException {
    Path p = dir.resolve(SNAPSHOT);
    if (!Files.exists(p)) return null;
    List<byte[]> one = new ArrayList<>();
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
      readRecords(c, one);
    }
    return one.isEmpty() || one.get(0).length < 8 ? null : one.get(0);
  }

  static ByteBuffer frame(byte[] record) {
    CRC32C crc = new CRC32C();
    crc.update(record);
    return ByteBuffer.allocate(8 + record.length).putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
  }

  /** Reads well-formed frames into {@code out}; returns the offset after the last good one. */
  static long readRecords(FileChannel c, List<byte[]> out) throws IOException {
    ByteBuffer all = ByteBuffer.allocate((int) c.size());
    c.position(0);
    while (all.hasRemaining() && c.read(all) >= 0) {}
    all.flip();
    long good = 0;
    while (all.remaining() >= 8) {
      int len = all.getInt();
      int sum = all.getInt();
      if (len < 0 || len > all.remaining()) break;
      byte[] rec = new byte[len];
      all.get(rec);
      CRC32C crc = new CRC32C();
      crc.update(rec);
      if ((int) crc.getValue() != sum) break;
      out.add(rec);
      good = all.position();
    }
    return good;
  }

  private static void writeFully(FileChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) c.write(b);
  }
}
