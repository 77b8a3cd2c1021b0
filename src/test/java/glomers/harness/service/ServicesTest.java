package glomers.harness.service;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServicesTest {
  static Map<String, Object> req(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Object code(Map<String, Object> reply) {
    return "error".equals(reply.get("type")) ? reply.get("code") : null;
  }

  @Test
  void linKvSemantics() {
    LinKv kv = new LinKv();
    assertEquals(20L, code(kv.handle("n0", req("type", "read", "key", "a"))));
    assertEquals("write_ok", kv.handle("n0", req("type", "write", "key", "a", "value", 1L)).get("type"));
    assertEquals(1L, kv.handle("n1", req("type", "read", "key", "a")).get("value"));
    assertEquals(20L, code(kv.handle("n0", req("type", "read", "key", 1L))), "\"a\" key is not 1");
    Map<String, Object> bad = kv.handle("n0", req("type", "cas", "key", "a", "from", 1.0, "to", 2L));
    assertEquals(22L, code(bad), "1 ≠ 1.0");
    assertEquals("current value 1 is not 1.0", bad.get("text"));
    assertEquals("cas_ok", kv.handle("n0", req("type", "cas", "key", "a", "from", 1L, "to", 2L)).get("type"));
    assertEquals(20L, code(kv.handle("n0", req("type", "cas", "key", "b", "from", 1L, "to", 2L))));
    assertEquals("cas_ok", kv.handle("n0",
        req("type", "cas", "key", "b", "from", 1L, "to", 5L, "create_if_not_exists", true)).get("type"));
    assertEquals(5L, kv.handle("n0", req("type", "read", "key", "b")).get("value"));
    assertEquals(List.of(1L), kv.handle("n0", req("type", "write", "key", List.of("x"), "value", List.of(1L))) != null
        ? kv.handle("n0", req("type", "read", "key", List.of("x"))).get("value") : null);
    assertNull(kv.handle("n0", req("type", "foo")), "unknown type → no reply");
  }

  @Test
  void linTsoCounts() {
    LinTso t = new LinTso();
    assertEquals(0L, t.handle("n0", req("type", "ts")).get("ts"));
    assertEquals(1L, t.handle("n1", req("type", "ts")).get("ts"));
    assertNull(t.handle("n1", req("type", "read")));
  }

  @Test
  void lwwKvNeverConvergesAndIgnoresCreate() {
    LwwKv kv = new LwwKv(new SplittableRandom(5));
    kv.handle("n0", req("type", "write", "key", "L", "value", 1L));
    kv.handle("n0", req("type", "write", "key", "L", "value", 2L));
    kv.handle("n0", req("type", "write", "key", "L", "value", 2L));
    kv.handle("n0", req("type", "write", "key", "L", "value", 2L));
    int ones = 0, twos = 0, absent = 0;
    for (int i = 0; i < 400; i++) {
      Map<String, Object> r = kv.handle("n0", req("type", "read", "key", "L"));
      if (code(r) != null) absent++;
      else if (r.get("value").equals(1L)) ones++;
      else twos++;
    }
    assertTrue(twos > 0 && (ones > 0 || absent > 0), "two replicas disagree: " + ones + "/" + twos + "/" + absent);
    for (int i = 0; i < 20; i++) {
      assertEquals(20L, code(kv.handle("n0",
          req("type", "cas", "key", "new" + i, "from", 1L, "to", 2L, "create_if_not_exists", true))));
    }
  }

  /**
   * Statistical check of the exact seq-kv algorithm: per caller, reads never go backwards; a writer reads
   * its own latest write; other callers see stale values (and error 20 before their first catch-up); a
   * real mutation (write of another key) catches the caller up.
   */
  @Test
  void seqKvStaleButMonotonicPerCaller() {
    SeqKv kv = new SeqKv(new SplittableRandom(11));
    long lastSeenByN1 = -1;
    int stale = 0, absent = 0, reads = 0;
    for (long v = 1; v <= 300; v++) {
      kv.handle("n0", req("type", "write", "key", "k", "value", v));
      assertEquals(v, kv.handle("n0", req("type", "read", "key", "k")).get("value"), "own write is visible");
      for (int i = 0; i < 3; i++) {
        Map<String, Object> r = kv.handle("n1", req("type", "read", "key", "k"));
        reads++;
        if (code(r) != null) {
          assertEquals(20L, code(r));
          assertEquals(-1, lastSeenByN1, "absent only before n1 ever saw the key");
          absent++;
          continue;
        }
        long seen = (Long) r.get("value");
        assertTrue(seen >= lastSeenByN1, "never backwards: " + seen + " after " + lastSeenByN1);
        assertTrue(seen >= v - SeqKv.CAPACITY, "within the last 32 states");
        if (seen < v) stale++;
        lastSeenByN1 = seen;
      }
    }
    assertTrue(stale > reads / 4, "stale reads happen: " + stale + "/" + reads);
    assertTrue(absent > 0 || stale > 0);
    // a real mutation applies to the newest state and catches the caller up
    kv.handle("n1", req("type", "write", "key", "other", "value", 1L));
    for (int i = 0; i < 20; i++) assertEquals(300L, kv.handle("n1", req("type", "read", "key", "k")).get("value"));
  }

  @Test
  void seqKvCasFailsSpuriouslyOnStaleStatesButMutationsApplyToNewest() {
    SeqKv kv = new SeqKv(new SplittableRandom(2));
    int ok = 0, stale22 = 0, stale20 = 0;
    for (long round = 0; round < 200; round++) {
      kv.handle("n0", req("type", "write", "key", "k", "value", round));
      Map<String, Object> r = kv.handle("n1", req("type", "cas", "key", "k", "from", round, "to", 1000 + round));
      Object c = code(r);
      if (c == null) {
        ok++;
        assertEquals(1000 + round, kv.handle("n1", req("type", "read", "key", "k")).get("value"),
            "a successful cas mutated the newest state and caught n1 up");
      } else if (c.equals(22L)) {
        stale22++;
      } else {
        assertEquals(20L, c);
        stale20++;
      }
    }
    assertTrue(ok > 0 && stale22 > 0, ok + " ok, " + stale22 + " × 22, " + stale20 + " × 20");
    Map<String, Object> created = kv.handle("n2",
        req("type", "cas", "key", "fresh", "from", 0L, "to", 1L, "create_if_not_exists", true));
    assertEquals("cas_ok", created.get("type"));
  }
}
