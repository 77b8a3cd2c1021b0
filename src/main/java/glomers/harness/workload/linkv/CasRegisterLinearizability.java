package glomers.harness.workload.linkv;

import glomers.harness.check.Validity;
import glomers.harness.history.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability of one key's history against Knossos' CAS register (initial value null), by the
 * Wing–Gong–Lowe search with memoisation (Lowe, "Testing for linearizability", 2017) — the algorithm
 * Knossos' {@code wgl} analysis implements (docs/maelstrom.md#linearizability-lin-kv).
 *
 * <p><b>Model.</b> {@code write v} sets v; {@code cas [a b]} is legal iff the value is a, then sets b;
 * {@code read v} is legal iff v equals the value <em>or v is null</em> (Knossos' register accepts a nil
 * read in any state — Maelstrom's reads of a missing key come back as errors, so a null read only arises
 * from a node that answers {@code read_ok} with {@code null}).
 *
 * <p><b>Operations.</b> {@code :fail} operations definitely did not happen and are removed. {@code :info}
 * writes and CASes (and invocations still pending when the history ends) may take effect at any point
 * after their invocation, or never: they get no return event, so the search may linearise them whenever
 * it likes and is never forced to. Reads that did not complete constrain nothing and are dropped, as are
 * ok reads of null (legal in every state).
 *
 * <p><b>Search.</b> Events (invocations and ok returns) sit in a doubly linked list in history order. The
 * search walks it: at an invocation it tries to linearise that call now (legal model step, and the pair
 * (set of linearised calls, model value) never seen before), which lifts the call and its return out of
 * the list and restarts from the head; at a return whose call has not been linearised it backtracks.
 * Success when every ok call is linearised. The memo set makes the search polynomial in practice for
 * register histories; a configurable budget on the number of memoised configurations and on wall time
 * turns pathological histories into {@code unknown} rather than a hang (Knossos likewise gives up on
 * memory or time exhaustion).
 *
 * <p><b>Diagnosis.</b> On failure the search remembers the return event that it could never get past
 * (the one latest in the history): the operation that cannot be linearised, the register values every
 * surviving linearisation of the earlier operations left, and the operations concurrent with it — the
 * shortest window of the history that proves the violation.
 */
public final class CasRegisterLinearizability {
  /** Budget: memoised configurations and wall-clock milliseconds per key. */
  public record Budget(long maxConfigs, long maxMillis) {
    public static Budget defaults() {
      // A memoised configuration costs ~100 B + the bitset (n/8 B): 1 M of them stay well below the
      // harness' heap even for keys with thousands of operations.
      return new Budget(1_000_000, 20_000);
    }
  }

  private static final Object ILLEGAL = new Object();

  /** One operation of the key's subhistory. */
  static final class Call {
    final int id;
    final Op invoke;
    final Op complete; // null when pending or info
    final String f;
    final Object value; // write: v; cas: [a b]; read: value read
    final boolean ok;

    Call(int id, Op invoke, Op complete, String f, Object value, boolean ok) {
      this.id = id;
      this.invoke = invoke;
      this.complete = complete;
      this.f = f;
      this.value = value;
      this.ok = ok;
    }

    Object step(Object state) {
      switch (f) {
        case "write":
          return value;
        case "cas": {
          List<?> ab = (List<?>) value;
          return Objects.equals(state, ab.get(0)) ? ab.get(1) : ILLEGAL;
        }
        case "read":
          return value == null || Objects.equals(state, value) ? state : ILLEGAL;
        default:
          throw new IllegalArgumentException("unknown f " + f);
      }
    }

    String describe() {
      String v = f.equals("cas") ? ((List<?>) value).get(0) + "→" + ((List<?>) value).get(1) : String.valueOf(value);
      return f + " " + v + " (process " + invoke.process() + ", " + (ok ? "ok" : "info") + ", invoked at index " + invoke.index()
          + (complete != null ? ", completed at index " + complete.index() : ", never completed") + ")";
    }
  }

  private static final class Event {
    final Call call;
    final boolean isReturn;
    final int position; // history index of the event
    Event prev, next;
    Event match; // call ↔ return

    Event(Call call, boolean isReturn, int position) {
      this.call = call;
      this.isReturn = isReturn;
      this.position = position;
    }
  }

  private record Config(BitSet linearized, Object state) {}

  private record Frame(Event call, Object stateBefore) {}

  private final List<Call> calls = new ArrayList<>();

  /**
   * Adds one operation. {@code complete} is the ok/info completion or null (pending); fail operations
   * must not be added. For reads {@code value} is the value read (ok) — info reads are ignored.
   */
  public void add(Op invoke, Op complete, String f, Object value) {
    boolean ok = complete != null && complete.isOk();
    if (f.equals("read") && (!ok || value == null)) return;
    if (!f.equals("read") && !f.equals("write") && !f.equals("cas")) throw new IllegalArgumentException("unknown f " + f);
    if (f.equals("cas") && !(value instanceof List<?> l && l.size() == 2)) throw new IllegalArgumentException("cas value must be [from to]: " + value);
    calls.add(new Call(calls.size(), invoke, ok ? complete : null, f, value, ok));
  }

  /** Runs the search. The result map is shaped like Knossos' {@code :linearizable} entry. */
  public Map<String, Object> check(Budget budget) {
    try {
      return search(budget);
    } catch (OutOfMemoryError e) {
      return unknown("search ran out of memory");
    }
  }

  private Map<String, Object> search(Budget budget) {
    long deadline = System.currentTimeMillis() + budget.maxMillis();
    // Build the event list in history order.
    List<Event> events = new ArrayList<>();
    int totalOk = 0;
    for (Call c : calls) {
      Event inv = new Event(c, false, c.invoke.index());
      events.add(inv);
      if (c.ok) {
        totalOk++;
        Event ret = new Event(c, true, c.complete.index());
        inv.match = ret;
        ret.match = inv;
        events.add(ret);
      }
    }
    events.sort((a, b) -> Integer.compare(a.position, b.position));
    Event head = new Event(null, false, -1);
    Event prev = head;
    for (Event e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }

    Set<Config> seen = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    BitSet linearized = new BitSet(calls.size());
    Object state = null;
    int linearizedOk = 0;
    Event entry = head.next;
    // Diagnosis: the return event we could not get past that is latest in the history.
    Event stuck = null;
    Map<Object, Config> stuckConfigs = new LinkedHashMap<>();
    Map<Object, Call> stuckLastOp = new LinkedHashMap<>();
    long steps = 0;

    while (true) {
      if (linearizedOk == totalOk) return valid(state, stack);
      if ((++steps & 0xFFF) == 0 && System.currentTimeMillis() > deadline) return unknown("search exceeded " + budget.maxMillis() + " ms");
      if (seen.size() > budget.maxConfigs()) return unknown("search exceeded " + budget.maxConfigs() + " configurations");
      if (entry != null && !entry.isReturn) {
        Object next = entry.call.step(state);
        if (next != ILLEGAL) {
          linearized.set(entry.call.id);
          if (seen.add(new Config((BitSet) linearized.clone(), next))) {
            stack.push(new Frame(entry, state));
            state = next;
            if (entry.call.ok) linearizedOk++;
            lift(entry);
            entry = head.next;
            continue;
          }
          linearized.clear(entry.call.id);
        }
        entry = entry.next;
        continue;
      }
      // A return whose call is not linearised (or the end of the list): backtrack.
      if (entry != null) {
        if (stuck == null || entry.position > stuck.position) {
          stuck = entry;
          stuckConfigs.clear();
          stuckLastOp.clear();
        }
        if (entry == stuck && stuckConfigs.size() < 8 && !stuckConfigs.containsKey(wrap(state))) {
          stuckConfigs.put(wrap(state), new Config((BitSet) linearized.clone(), state));
          stuckLastOp.put(wrap(state), stack.isEmpty() ? null : stack.peek().call.call);
        }
      }
      if (stack.isEmpty()) return invalid(stuck, stuckConfigs, stuckLastOp);
      Frame f = stack.pop();
      state = f.stateBefore;
      linearized.clear(f.call.call.id);
      if (f.call.call.ok) linearizedOk--;
      unlift(f.call);
      entry = f.call.next;
    }
  }

  private static Object wrap(Object state) {
    return state == null ? "∅null" : state;
  }

  private static void lift(Event call) {
    call.prev.next = call.next;
    if (call.next != null) call.next.prev = call.prev;
    Event ret = call.match;
    if (ret != null) {
      ret.prev.next = ret.next;
      if (ret.next != null) ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Event call) {
    Event ret = call.match;
    if (ret != null) {
      ret.prev.next = ret;
      if (ret.next != null) ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) call.next.prev = call;
  }

  // ------------------------------------------------------------------ results

  private static Map<String, Object> model(Object state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "cas-register");
    m.put("value", state);
    return m;
  }

  private Map<String, Object> valid(Object state, Deque<Frame> stack) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", model(state));
    Call last = null;
    for (Frame f : stack) if (f.call.call.ok && (last == null || f.call.call.complete.index() > last.complete.index())) last = f.call.call;
    config.put("last-op", last == null ? null : last.complete.toMap());
    config.put("pending", List.of());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("valid?", true);
    r.put("configs", List.of(config));
    r.put("final-paths", List.of());
    return r;
  }

  private static Map<String, Object> unknown(String cause) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("valid?", Validity.UNKNOWN.json());
    r.put("cause", cause);
    return r;
  }

  private Map<String, Object> invalid(Event stuck, Map<Object, Config> configs, Map<Object, Call> lastOps) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("valid?", false);
    if (stuck == null) {
      r.put("cause", "no linearization exists");
      return r;
    }
    Call op = stuck.call;
    List<Map<String, Object>> cfgs = new ArrayList<>();
    Set<Object> values = new LinkedHashSet<>();
    Set<Call> window = new LinkedHashSet<>();
    for (Map.Entry<Object, Config> e : configs.entrySet()) {
      Config c = e.getValue();
      values.add(c.state);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model(c.state));
      Call last = lastOps.get(e.getKey());
      m.put("last-op", last == null ? null : (last.complete != null ? last.complete : last.invoke).toMap());
      List<Map<String, Object>> pending = new ArrayList<>();
      for (Call p : calls) {
        if (!c.linearized.get(p.id) && p.invoke.index() < stuck.position) {
          pending.add(p.invoke.toMap());
          if (p.complete == null || p.complete.index() >= op.invoke.index()) window.add(p);
        }
      }
      m.put("pending", pending);
      cfgs.add(m);
      if (last != null) window.add(last);
    }
    // The window: the failing op, every op overlapping it that was still unlinearised, and the op whose
    // effect the surviving linearisations ended with; plus completed ops in between (they fixed the value).
    window.add(op);
    int from = window.stream().mapToInt(c -> c.invoke.index()).min().orElse(op.invoke.index());
    for (Call c : calls) if (c.ok && c.invoke.index() >= from && c.complete.index() <= stuck.position) window.add(c);
    List<Call> sorted = new ArrayList<>(window);
    sorted.sort((a, b) -> Integer.compare(a.invoke.index(), b.invoke.index()));
    List<Map<String, Object>> windowOps = new ArrayList<>();
    StringBuilder why = new StringBuilder();
    why.append("cannot linearize ").append(op.describe()).append(": every order of the operations before its completion leaves the register at ")
        .append(values.size() == 1 ? "" : "one of ").append(values.size() == 1 ? String.valueOf(values.iterator().next()) : values.toString())
        .append(", and neither this op nor any op concurrent with it can be placed next. Window (")
        .append(sorted.size()).append(" ops):");
    for (Call c : sorted) {
      windowOps.add(c.invoke.toMap());
      if (c.complete != null) windowOps.add(c.complete.toMap());
      why.append("\n  ").append(c == op ? "→ " : "  ").append(c.describe());
    }
    r.put("op", op.complete.toMap());
    Call prevOk = null;
    for (Call c : calls) if (c.ok && c.complete.index() < stuck.position && (prevOk == null || c.complete.index() > prevOk.complete.index())) prevOk = c;
    r.put("previous-ok", prevOk == null ? null : prevOk.complete.toMap());
    r.put("configs", cfgs);
    r.put("final-paths", List.of());
    r.put("window", windowOps);
    r.put("explanation", why.toString());
    return r;
  }
}
