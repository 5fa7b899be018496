package io.compensa.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Finalizer} reports: deferred work that failed, and actions whose deferred work it
 * rolled back (amended to COMPENSATED).
 *
 * <p>Build one from {@link #ok()} with the {@code with...} methods, which return new instances.
 * Immutable and thread-safe.
 *
 * @param errors failures to report; they change no status
 * @param amendments this plugin's SUCCESS actions whose deferred work was rolled back
 */
public record FinalizeResult(List<Error> errors, List<Amendment> amendments) {

  /**
   * One failure of deferred work.
   *
   * @param actionId the action it concerns, or an empty string
   * @param message what failed
   */
  public record Error(String actionId, String message) {
    /**
     * Creates the error, checking and copying its fields.
     *
     * @param actionId the action it concerns, or an empty string
     * @param message what failed
     */
    public Error {
      Objects.requireNonNull(actionId, "actionId");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * One outcome changed to COMPENSATED after the fact.
   *
   * @param actionId the action whose outcome changes
   * @param detail why, in words an operator can act on
   */
  public record Amendment(String actionId, String detail) {
    /**
     * Creates the amendment, checking and copying its fields.
     *
     * @param actionId the action whose outcome changes
     * @param detail why, in words an operator can act on
     */
    public Amendment {
      Objects.requireNonNull(actionId, "actionId");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Creates the finalize result, checking and copying its fields.
   *
   * @param errors failures to report; they change no status
   * @param amendments this plugin's SUCCESS actions whose deferred work was rolled back
   */
  public FinalizeResult {
    errors = List.copyOf(errors);
    amendments = List.copyOf(amendments);
  }

  /**
   * Returns a result with nothing to report.
   *
   * @return the result
   */
  public static FinalizeResult ok() {
    return new FinalizeResult(List.of(), List.of());
  }

  /**
   * Returns a copy with one more error.
   *
   * @param actionId the action it concerns, or an empty string
   * @param message what failed
   * @return the new result
   */
  public FinalizeResult withError(String actionId, String message) {
    List<Error> copy = new ArrayList<>(errors);
    copy.add(new Error(actionId, message));
    return new FinalizeResult(copy, amendments);
  }

  /**
   * Returns a copy that amends one action to COMPENSATED.
   *
   * @param actionId the action
   * @param detail what was rolled back
   * @return the new result
   */
  public FinalizeResult withCompensated(String actionId, String detail) {
    List<Amendment> copy = new ArrayList<>(amendments);
    copy.add(new Amendment(actionId, detail));
    return new FinalizeResult(errors, copy);
  }
}
