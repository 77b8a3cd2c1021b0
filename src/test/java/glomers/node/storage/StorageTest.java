package glomers.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.node.RealEventLoop;
import glomers.node.SimEventLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> strings(List<byte[]> rs) {
    return rs.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void memoryCrashKeepsOnlyWhatASyncCompleted() {
    SimEventLoop loop = new SimEventLoop();
    MemoryStorage s = new MemoryStorage(loop, MemoryStorage.Disk.empty());
    s.append(b("a"));
    boolean[] synced = new boolean[1];
    s.sync(() -> synced[0] = true);
    s.append(b("b")); // after the sync was asked for: not covered by it
    // Crash before the sync completed: nothing is durable.
    assertEquals(List.of(), new MemoryStorage(loop, s.crash()).recovered());
    loop.runUntilIdle();
    assertTrue(synced[0]);
    assertEquals(List.of("a"), strings(new MemoryStorage(loop, s.crash()).recovered()));
  }

  @Test
  void memorySnapshotReplacesEarlierRecords() {
    SimEventLoop loop = new SimEventLoop();
    MemoryStorage s = new MemoryStorage(loop, MemoryStorage.Disk.empty());
    s.append(b("a"));
    s.snapshot(b("S"));
    s.append(b("c"));
    s.sync(() -> {});
    loop.runUntilIdle();
    MemoryStorage after = new MemoryStorage(loop, s.crash());
    assertEquals("S", new String(after.recoveredSnapshot().orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(List.of("c"), strings(after.recovered()));
  }

  private static void syncAndWait(Storage s, RealEventLoop loop) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> s.sync(done::countDown));
    assertTrue(done.await(10, TimeUnit.SECONDS));
  }

  @Test
  void filesSurviveRestartAndATornTailIsDropped(@TempDir Path dir) throws Exception {
    RealEventLoop loop = new RealEventLoop().start();
    FileStorage s = new FileStorage(loop, dir);
    s.append(b("one"));
    s.append(b("two"));
    syncAndWait(s, loop);
    // A crash mid-write: half a frame, then garbage that fails its checksum.
    Files.write(dir.resolve("log.0"), new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
    FileStorage again = new FileStorage(loop, dir);
    assertEquals(List.of("one", "two"), strings(again.recovered()));
    again.append(b("three"));
    syncAndWait(again, loop);
    assertEquals(List.of("one", "two", "three"), strings(new FileStorage(loop, dir).recovered()));
  }

  @Test
  void aCorruptRecordEndsTheLogThere(@TempDir Path dir) throws Exception {
    RealEventLoop loop = new RealEventLoop().start();
    FileStorage s = new FileStorage(loop, dir);
    s.append(b("good"));
    s.append(b("flip"));
    syncAndWait(s, loop);
    byte[] raw = Files.readAllBytes(dir.resolve("log.0"));
    raw[raw.length - 1] ^= 1;
    Files.write(dir.resolve("log.0"), raw);
    assertEquals(List.of("good"), strings(new FileStorage(loop, dir).recovered()));
  }

  @Test
  void fileSnapshotStartsAFreshLog(@TempDir Path dir) throws Exception {
    RealEventLoop loop = new RealEventLoop().start();
    FileStorage s = new FileStorage(loop, dir);
    s.append(b("old"));
    s.snapshot(b("state"));
    s.append(b("new"));
    syncAndWait(s, loop);
    FileStorage again = new FileStorage(loop, dir);
    assertEquals("state", new String(again.recoveredSnapshot().orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(List.of("new"), strings(again.recovered()));
  }
}
