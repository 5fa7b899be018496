package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

import io.compensa.host.plan.ActionGraph;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link FailurePolicy#ROLLBACK} cascade: every action that took effect is compensated,
 * dependents before what they depend on. An action whose dependent could not be compensated is left
 * in place and ends COMPENSATION_FAILED, "blocked by" that dependent. Runs on one thread.
 */
final class Rollback {
  private final ActionGraph graph;
  private final ActionExecutor executor;
  private final WorkingState state;

  Rollback(ActionGraph graph, ActionExecutor executor, WorkingState state) {
    this.graph = graph;
    this.executor = executor;
    this.state = state;
  }

  void run(Plan plan, Map<String, ActionOutcome> outcomes) {
    List<String> order = graph.topologicalOrder();
    for (int i = order.size() - 1; i >= 0; i--) {
      String id = order.get(i);
      ActionOutcome outcome = outcomes.get(id);
      PlanAction action = graph.action(id);
      String name = action.getResource().getName();
      Optional<ResourceState> applied = state.get(name);
      if (!tookEffect(outcome, applied)) {
        continue;
      }
      Optional<String> blocker = blockingDependent(id, outcomes);
      if (blocker.isPresent()) {
        outcomes.put(id, outcome.toBuilder()
            .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
            .setCompensation(CompensationDetail.newBuilder()
                .setResult(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                .setBlockedBy(blocker.get())
                .setDetail("blocked by " + blocker.get() + ": it could not be compensated and depends on this resource"))
            .build());
        applied.ifPresent(r -> executor.settle(name, Optional.of(r.toBuilder().setNeedsAttention(true)
            .setAttentionReason("rollback blocked by " + blocker.get()).build())));
        executor.journalOutcome(outcomes.get(id));
        continue;
      }
      Optional<ResourceState> prior = outcome.hasPrior() ? Optional.of(outcome.getPrior()) : Optional.empty();
      PlanAction undoing = outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR && action.getKind() == ActionKind.ACTION_KIND_REPLACE
          ? action.toBuilder().setKind(ActionKind.ACTION_KIND_CREATE).build()
          : action;
      Compensation undo = executor.compensator().undo(undoing, prior,
          undoing.getKind() == ActionKind.ACTION_KIND_DELETE ? Optional.empty() : applied,
          outcome.getDriverOutput(), "rollback of the apply");
      executor.settle(name, undo.stateAfter());
      outcomes.put(id, outcome.toBuilder()
          .setStatus(undo.status())
          .setCompensation(undo.detail().toBuilder().setDetail("rollback: " + undo.detail().getDetail()))
          .build());
      executor.journalOutcome(outcomes.get(id));
    }
  }

  /** SUCCESS actions, and failed ones that left a partial (tainted) resource behind. */
  private static boolean tookEffect(ActionOutcome outcome, Optional<ResourceState> applied) {
    if (outcome.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS) {
      return outcome.getKind() == ActionKind.ACTION_KIND_DELETE || applied.isPresent();
    }
    return outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR && applied.isPresent() && applied.get().getTainted()
        && outcome.getKind() != ActionKind.ACTION_KIND_DELETE;
  }

  private Optional<String> blockingDependent(String id, Map<String, ActionOutcome> outcomes) {
    for (String dependent : graph.allDependents(id)) {
      ActionOutcome outcome = outcomes.get(dependent);
      if (outcome != null && outcome.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED) {
        return Optional.of(outcome.getResourceName());
      }
    }
    return Optional.empty();
  }
}
