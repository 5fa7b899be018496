package io.compensa.host.apply;

import io.compensa.host.compensate.ActionCompensator;
import io.compensa.host.compensate.RollbackCascade;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.plan.ActionGraph;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.StateSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One apply (or recovery) of one plan: the working state, the journaled calls and the steps an
 * action goes through, wired once; and how the apply ends ({@link #finish}): the rollback cascade
 * when the policy asks for it (else the deferred deletes of create-before-delete replaces),
 * FinalizeApply, the check of invariant 1, the state written and the journal completed.
 */
final class ApplyRun {
  final Plan plan;
  final WorkingState state;
  final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  final DriverCalls calls;
  final ResourceRecords records;
  final ActionCompensator compensator;
  final PostDriverSteps steps;
  final ReadBack readBack;
  final ActionExecutor executor;
  private final PluginRouter router;
  private final ApplyOptions options;
  private final String startedAt;

  /**
   * @param startedAt when the apply started, as its journal says ({@code JournalBegin.started_at})
   */
  ApplyRun(
      Plan plan,
      String startedAt,
      StateSnapshot start,
      ApplyJournal journal,
      PluginRouter router,
      StateStore store,
      SecretStore secrets,
      ApplyOptions options) {
    this.plan = plan;
    this.startedAt = startedAt;
    this.router = router;
    this.options = options;
    this.state = new WorkingState(store, journal, start, plan.getId());
    this.calls = new DriverCalls(journal, options.maxAttempts(), options.initialBackoff());
    this.records = new ResourceRecords(state, journal, new SecretRouting(secrets), problems);
    this.compensator = new ActionCompensator(calls);
    this.steps = new PostDriverSteps(records, compensator, options);
    this.readBack = new ReadBack(calls);
    this.executor = new ActionExecutor(router, records, calls, steps, compensator, readBack);
  }

  /**
   * Settles what the actions could not: the rollback cascade, FinalizeApply, the state, the
   * journal.
   */
  ApplyResult finish(
      ActionGraph graph,
      Map<String, ActionOutcome> outcomes,
      FailurePolicy policy,
      Set<String> alreadyFinalized,
      BooleanSupplier cancelled)
      throws JournalException {
    if (policy == FailurePolicy.ROLLBACK && outcomes.values().stream().anyMatch(o -> !reached(o))) {
      // a create-before-delete replace is undone by deleting its new object: its old one, whose
      // delete was deferred, is still there for the dependents the cascade moves back
      new RollbackCascade(graph, router, compensator, records, options.parallelism()).run(outcomes);
    } else {
      new DeferredDeletes(graph, router, calls, records, compensator).run(outcomes);
    }
    new Finalization(router, calls, records, problems).run(plan, outcomes, alreadyFinalized);
    CrashPoints.reach(CrashPoints.FINALIZED);
    List<ActionOutcome> ordered = checkInvariant(outcomes);
    // the write that finishes the apply says so, with its outcomes: a recover of a journal that
    // cannot be closed after it reports these instead of settling the apply again
    state.finished(startedAt, ordered);
    try {
      state.checkpoint();
      CrashPoints.reach(CrashPoints.STATE_WRITTEN);
    } catch (StateStoreException e) {
      if (calls.journal().keepsState()) {
        // the journal keeps the records the store lacks and stays unfinished: recover writes them
        problems.add(
            "the state could not be written at the end of the apply ("
                + e.getMessage()
                + "); the journal keeps its records: run `compensa recover` to write them");
        return new ApplyResult(plan.getId(), ordered, problems, cancelled.getAsBoolean(), false);
      }
      problems.add("the state could not be written at the end of the apply: " + e.getMessage());
    }
    try {
      calls.journal().complete();
      CrashPoints.reach(CrashPoints.JOURNAL_COMPLETED);
    } catch (JournalException e) {
      // the state holds every record, so the apply is finished: remove the journal, so that
      // recover does not settle it a second time
      try {
        calls.journal().abandon();
        problems.add(
            "the journal could not be marked complete ("
                + e.getMessage()
                + "), so it was removed: the state holds this apply's records");
      } catch (JournalException stuck) {
        // it stays unfinished; recover, which must run before the next apply, settles it from
        // what it holds (actions it has no intent of were not started, as reported here)
        problems.add(
            "the journal could not be marked complete ("
                + e.getMessage()
                + ") nor removed ("
                + stuck.getMessage()
                + "): run `compensa recover` before the next apply");
        return new ApplyResult(plan.getId(), ordered, problems, cancelled.getAsBoolean(), false);
      }
    }
    return new ApplyResult(plan.getId(), ordered, problems, cancelled.getAsBoolean());
  }

  /** Whether {@code outcome} reached the action's desired state. */
  static boolean reached(ActionOutcome outcome) {
    return outcome.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS;
  }

  /** Invariant 1: exactly one outcome per action, none UNSPECIFIED; the outcomes in plan order. */
  private List<ActionOutcome> checkInvariant(Map<String, ActionOutcome> outcomes) {
    List<ActionOutcome> ordered = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      ActionOutcome outcome = outcomes.get(action.getId());
      if (outcome == null
          || outcome.getStatus() == ActionStatus.ACTION_STATUS_UNSPECIFIED
          || outcome.getStatus() == ActionStatus.UNRECOGNIZED) {
        throw new IllegalStateException(
            "invariant 1 violated: action "
                + action.getId()
                + " ended with "
                + (outcome == null ? "no outcome" : outcome.getStatus())
                + " (a host bug: please report it with the plan)");
      }
      ordered.add(outcome);
    }
    if (outcomes.size() != plan.getActionsCount()) {
      throw new IllegalStateException(
          "invariant 1 violated: "
              + outcomes.size()
              + " outcomes for "
              + plan.getActionsCount()
              + " actions");
    }
    return ordered;
  }
}
