package io.compensa.host.apply;

import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.journal.LeftoverProcesses;
import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.StateSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Finishes, for {@code compensa recover}, the apply an earlier host left unfinished, from its
 * journal: journaled outcomes stand and their records are written again, actions that were in
 * flight are settled ({@link InterruptedActions}), actions that never started are skipped, then the
 * apply ends as any does ({@link ApplyRun#finish}). The caller holds the state lock.
 */
final class Recovery {
  private final PluginRouter router;
  private final StateStore store;
  private final SecretStore secrets;
  private final ApplyOptions options;
  private final ApplyListener listener;

  Recovery(
      PluginRouter router,
      StateStore store,
      SecretStore secrets,
      ApplyOptions options,
      ApplyListener listener) {
    this.router = router;
    this.store = store;
    this.secrets = secrets;
    this.options = options;
    this.listener = listener;
  }

  /** Finishes the unfinished apply {@code log} records. */
  ApplyResult finish(JournalLog log, BooleanSupplier cancelled)
      throws StateStoreException, JournalException {
    LeftoverProcesses.awaitGone(log.begin(), Duration.ofSeconds(10));
    LeftoverProcesses.endHooks(log.begin(), log.hooks(), Duration.ofSeconds(5));
    Plan plan = log.plan();
    for (PlanAction action : plan.getActionsList()) {
      if (router.types().get(action.getResource().getType()) == null) {
        throw new JournalException(
            "cannot recover plan "
                + plan.getId()
                + ": resource \""
                + action.getResource().getName()
                + "\" has type \""
                + action.getResource().getType()
                + "\", which no configured plugin serves");
      }
    }
    ActionGraph graph;
    try {
      graph = ActionGraph.of(plan);
    } catch (InvalidPlanException e) {
      throw new JournalException("the journal's plan cannot be ordered: " + e.getMessage(), e);
    }
    StateSnapshot start = store.read();
    String startedAt = log.begin().getStartedAt();
    if (finishedInTheState(start, plan, startedAt)) {
      return closeFinished(plan, start.getFinishedApply().getOutcomesList());
    }
    HeldSecrets held = heldSecrets(log, graph);
    ApplyRun run =
        new ApplyRun(
            plan, startedAt, start, options.journal().resume(), router, store, secrets, options);
    Map<String, ActionOutcome> outcomes = new HashMap<>();
    // the records the state persistence steps journaled, then each settled action's record
    log.states().forEach(run.state::set);
    for (JournalOutcome journaled : log.outcomes()) {
      ActionOutcome outcome = journaled.getOutcome();
      outcomes.put(outcome.getActionId(), outcome);
      run.state.set(
          outcome.getResourceName(),
          journaled.hasRecord() ? Optional.of(journaled.getRecord()) : Optional.empty());
    }
    run.state.checkpoint();
    CrashPoints.reach(CrashPoints.RECOVER_RECORDS_WRITTEN);
    InterruptedActions interrupted =
        new InterruptedActions(
            router, run.executor, run.steps, run.compensator, run.records, run.readBack, held);
    for (String id : graph.topologicalOrder()) {
      if (outcomes.containsKey(id)) {
        continue;
      }
      PlanAction action = graph.action(id);
      ActionOutcome outcome =
          log.calls(id).isEmpty()
              ? Scheduler.skipped(
                  action, "the host stopped before this action started; plan and apply again")
              : Scheduler.timed(
                  interrupted.recover(action, log.calls(id), log.hookFailure(id)),
                  java.time.Instant.now().toString());
      outcomes.put(id, outcome);
      run.records.journalOutcome(outcome);
      listener.finished(outcome);
    }
    FailurePolicy policy = FailurePolicy.valueOf(log.failurePolicy().toUpperCase(Locale.ROOT));
    Set<String> finalized = new HashSet<>();
    for (var plugin : router.plugins()) {
      if (log.finalized(plugin.name())) {
        finalized.add(plugin.name());
      }
    }
    return run.finish(graph, outcomes, policy, finalized, cancelled);
  }

  /**
   * Reads, before anything is settled, the sensitive values of the interrupted actions' journaled
   * outputs that the secrets store holds; a store that cannot give them (no key, a wrong key) stops
   * the recovery here, with nothing changed.
   */
  private HeldSecrets heldSecrets(JournalLog log, ActionGraph graph) throws JournalException {
    Set<String> settled = new HashSet<>();
    log.outcomes().forEach(journaled -> settled.add(journaled.getOutcome().getActionId()));
    List<SecretReference> wanted = new ArrayList<>();
    for (String id : graph.topologicalOrder()) {
      PlanAction action = graph.action(id);
      if (settled.contains(id) || log.calls(id).isEmpty()) {
        continue;
      }
      Optional<ResourceOutput> output = InterruptedActions.forwardOutput(action, log.calls(id));
      if (output.isPresent() && output.get().getSensitiveKeysCount() > 0) {
        String scope = ResolvedAction.resolve(action, router).secretScope();
        wanted.addAll(HeldSecrets.wanted(scope, output.get()));
      }
    }
    try {
      return HeldSecrets.lookUp(secrets, wanted);
    } catch (SecretStoreException e) {
      throw new JournalException(
          "cannot recover plan "
              + log.plan().getId()
              + ": an interrupted action's sensitive output is kept in "
              + secrets.location()
              + " and cannot be read: "
              + e.getMessage()
              + ". Nothing was changed: run `compensa recover` again once it can be read",
          e);
    }
  }

  /**
   * Whether the state's last write finished this very apply: it then holds the apply's records and
   * outcomes, and only the journal was left open (it could be neither marked complete nor removed).
   */
  private static boolean finishedInTheState(StateSnapshot state, Plan plan, String startedAt) {
    return state.hasFinishedApply()
        && state.getFinishedApply().getPlanId().equals(plan.getId())
        && state.getFinishedApply().getStartedAt().equals(startedAt);
  }

  /**
   * Reports the outcomes the finished apply reported, settling nothing again, and closes its
   * journal.
   */
  private ApplyResult closeFinished(Plan plan, List<ActionOutcome> outcomes)
      throws JournalException {
    ApplyJournal journal = options.journal().resume();
    try {
      journal.complete();
    } catch (JournalException e) {
      journal.abandon();
    }
    return new ApplyResult(
        plan.getId(),
        outcomes,
        List.of(
            "the apply had already finished: the state holds its records and these outcomes, so"
                + " nothing was settled again; only its journal was left open, and is now closed"),
        false);
  }
}
