package glomers.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RealEventLoopTest {
  /** A task that blocks the loop makes the next task and a due timer late; the report puts both in their buckets. */
  @Test
  void latenessReportCountsTasksAndTimersInTheirBuckets() throws Exception {
    AtomicLong now = new AtomicLong();
    RealEventLoop loop = new RealEventLoop(now::get).start();
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(
        () -> {
          loop.schedule(0, () -> {});
          loop.execute(done::countDown); // queued at t=0
          now.set(300_000_000L); // the loop is "stalled" for 300 ms before it runs the next task
        });
    assertTrue(done.await(5, TimeUnit.SECONDS));
    String r = loop.latencyReport();
    assertTrue(r.matches(".*tasks <=1ms:1 .*<=500ms:1 >500ms:0 max 300\\.0 ms; timers .*<=500ms:1 >500ms:0 max 300\\.0 ms"), r);
  }

  /** The idle action (the node's stdout flush) runs once a burst of queued tasks is done, not between them. */
  @Test
  void theIdleActionRunsWhenTheQueueRunsDryNotBetweenQueuedTasks() throws Exception {
    java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    CountDownLatch idleAfterBurst = new CountDownLatch(1);
    RealEventLoop loop = new RealEventLoop().whenIdle(() -> {
      seen.add("idle");
      if (seen.contains("c")) idleAfterBurst.countDown();
    });
    for (String t : java.util.List.of("a", "b", "c")) loop.execute(() -> seen.add(t)); // one burst, queued before start
    loop.start();
    assertTrue(idleAfterBurst.await(5, TimeUnit.SECONDS));
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("a", "b", "c", "idle"), seen.subList(0, 4));
    loop.stop();
  }
}
