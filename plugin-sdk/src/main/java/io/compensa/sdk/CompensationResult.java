package io.compensa.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Compensator}'s answer: the action was undone, or it was not and this is what remains.
 *
 * <p>Immutable and thread-safe.
 *
 * @param compensated whether the action's effect was undone
 * @param detail what the plugin did or why it could not
 * @param remaining what exists after a failed compensation; empty when nothing exists
 */
public record CompensationResult(
    boolean compensated, String detail, Optional<ResourceOutput> remaining) {

  /**
   * Creates the compensation result, checking and copying its fields.
   *
   * @param compensated whether the action's effect was undone
   * @param detail what the plugin did or why it could not
   * @param remaining what exists after a failed compensation; empty when nothing exists
   */
  public CompensationResult {
    Objects.requireNonNull(detail, "detail");
    remaining = remaining == null ? Optional.empty() : remaining;
  }

  /**
   * Returns the answer for an action that was undone.
   *
   * @param detail what the plugin did
   * @return the result
   */
  public static CompensationResult compensated(String detail) {
    return new CompensationResult(true, detail, Optional.empty());
  }

  /**
   * Returns the answer for an action that could not be undone.
   *
   * @param detail why, in words an operator can act on
   * @param remaining what exists now, or {@code null} when nothing does
   * @return the result
   */
  public static CompensationResult failed(String detail, ResourceOutput remaining) {
    return new CompensationResult(false, detail, Optional.ofNullable(remaining));
  }
}
