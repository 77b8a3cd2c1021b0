package glomers.harness.check;

import glomers.harness.history.History;
import java.util.Map;

/**
 * Analyses a finished history. Pure: no I/O, no clock, deterministic for a given input.
 *
 * <p>The result mirrors the map Maelstrom prints in {@code results.edn} for the same checker, with
 * keywords as strings without the colon ({@code "valid?"}, {@code "lost-count"}, …) and numeric map keys
 * as strings ({@code "0.5"}). {@code "valid?"} holds {@link Validity#json()}.
 */
@FunctionalInterface
public interface Checker {
  Map<String, Object> check(CheckContext ctx, History history);

  /** The verdict stored in a result map. */
  static Validity validity(Map<String, Object> result) {
    return Validity.fromJson(result.get("valid?"));
  }
}
