package io.compensa.host.conformance;

import java.util.Objects;

/**
 * The result of one conformance check: its name, the resource type it ran on (if any), whether it
 * passed, and a detail that says what was seen.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the check, like {@code idempotent-create}
 * @param type the resource type it ran on, or {@code null} for a plugin-wide check
 * @param result PASS, FAIL or SKIP
 * @param detail what was seen, or why it was skipped
 */
public record ConformanceCheck(String name, String type, Result result, String detail) {
  /** Whether a check passed. */
  public enum Result {
    /** The plugin behaved as the contract says. */
    PASS,
    /** It did not; the detail says how. */
    FAIL,
    /** The check could not run (for example: no second sample config to update to). */
    SKIP
  }

  /** Checks the fields. */
  public ConformanceCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(detail, "detail");
  }

  /** The report line: {@code PASS|FAIL|SKIP <check> [type] — detail}. */
  public String line() {
    return result + " " + name + (type == null ? "" : " [" + type + "]") + " — " + detail;
  }
}
