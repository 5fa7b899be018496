package io.compensa.host.apply;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import java.util.List;

/**
 * How an apply ended: one outcome per plan action, in plan order, and the problems reported after
 * the action loop (FinalizeApply errors, refused amendments, state writes that failed).
 *
 * @param planId the plan's id
 * @param outcomes one per plan action, in plan order, none UNSPECIFIED
 * @param problems messages for the operator that are not any one action's outcome
 * @param cancelled whether the apply was cancelled
 * @param stateSaved whether the apply is finished in the store: {@code false} when the final state
 *     write failed and the journal keeps the records until {@code compensa recover} writes them, or
 *     when the journal could not be marked complete and recover must run before the next apply (one
 *     of the problems says which)
 */
public record ApplyResult(
    String planId,
    List<ActionOutcome> outcomes,
    List<String> problems,
    boolean cancelled,
    boolean stateSaved) {
  public ApplyResult {
    outcomes = List.copyOf(outcomes);
    problems = List.copyOf(problems);
  }

  /** A result whose records are all in the state store. */
  public ApplyResult(
      String planId, List<ActionOutcome> outcomes, List<String> problems, boolean cancelled) {
    this(planId, outcomes, problems, cancelled, true);
  }

  /**
   * Whether every action ended SUCCESS. The CLI exits 0 only when this holds and the state was
   * saved ({@link #stateSaved()}).
   */
  public boolean allSucceeded() {
    return !cancelled
        && outcomes.stream().allMatch(o -> o.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS);
  }
}
