package glomers.harness.workload;

import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Jepsen-style generator combinators for workloads. */
public final class Generators {
  private Generators() {}

  /** An infinite generator: {@code fn} is asked for every op. */
  public static Generator repeat(Function<GenContext, Op> fn) {
    return fn::apply;
  }

  /**
   * Jepsen's {@code gen/mix}: each op independently picks one of {@code gens} uniformly at random; a
   * sub-generator that returns null is dropped from the mix (the mix ends when all are exhausted).
   * {@link Generator#update} is forwarded to every sub-generator.
   */
  public static Generator mix(Generator... gens) {
    List<Generator> live = new ArrayList<>(Arrays.asList(gens));
    List<Generator> all = List.of(gens);
    return new Generator() {
      @Override
      public Op next(GenContext ctx) {
        while (!live.isEmpty()) {
          int i = live.size() == 1 ? 0 : ctx.random().nextInt(live.size());
          Op op = live.get(i).next(ctx);
          if (op != null) return op;
          live.remove(i);
        }
        return null;
      }

      @Override
      public void update(Op completion) {
        for (Generator g : all) g.update(completion);
      }
    };
  }

  /**
   * Jepsen's {@code gen/each-thread} with one op: every worker thread gets exactly one op from {@code fn},
   * then null. Typical final phase: {@code eachThread(ctx -> Op.invoke(ctx.process(), "read",
   * null).withFinal(true))}.
   */
  public static Generator eachThread(Function<GenContext, Op> fn) {
    Set<Integer> done = new HashSet<>();
    return ctx -> done.add(ctx.thread()) ? fn.apply(ctx) : null;
  }

  /** At most {@code n} ops from {@code gen} in total, across all workers. */
  public static Generator limit(long n, Generator gen) {
    return new Generator() {
      long left = n;

      @Override
      public Op next(GenContext ctx) {
        if (left <= 0) return null;
        Op op = gen.next(ctx);
        if (op != null && op != PENDING) left--;
        return op;
      }

      @Override
      public void update(Op completion) {
        gen.update(completion);
      }
    };
  }
}
