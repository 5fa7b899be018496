package io.compensa.host.apply;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.PlanAction;

/**
 * Hears actions start and end, for progress lines. Called from the engine's threads;
 * implementations must be thread-safe and quick.
 */
public interface ApplyListener {
  /** {@code action} is starting. */
  default void started(PlanAction action) {}

  /**
   * {@code outcome} is final (it may still be changed by a rollback or a FinalizeApply amendment).
   */
  default void finished(ActionOutcome outcome) {}
}
