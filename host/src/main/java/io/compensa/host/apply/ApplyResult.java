package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

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
 */
public record ApplyResult(String planId, List<ActionOutcome> outcomes, List<String> problems, boolean cancelled) {
  public ApplyResult {
    outcomes = List.copyOf(outcomes);
    problems = List.copyOf(problems);
  }

  /** Whether every action ended SUCCESS (the CLI's exit code 0). */
  public boolean allSucceeded() {
    return !cancelled && outcomes.stream().allMatch(o -> o.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS);
  }
}
