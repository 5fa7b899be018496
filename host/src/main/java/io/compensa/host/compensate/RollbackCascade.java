package io.compensa.host.compensate;

import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.ReadyActions;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The rollback cascade ({@code --on-failure rollback}): every action that took effect is
 * compensated, dependents before what they depend on. An action whose dependent could not be
 * compensated is left in place and ends COMPENSATION_FAILED, "blocked by" that dependent.
 *
 * <p>Runs like the apply, in reverse: an action is taken up once every action that depends on it is
 * settled, and up to {@code parallelism} compensations run at once. The calling thread schedules
 * and keeps the outcomes; the compensations run on a pool of their own.
 */
public final class RollbackCascade {
  private final ActionGraph graph;
  private final PluginRouter router;
  private final ActionCompensator compensator;
  private final ActionRecords records;
  private final int parallelism;

  /** A cascade over {@code graph}'s actions, compensating through {@code compensator}. */
  public RollbackCascade(
      ActionGraph graph,
      PluginRouter router,
      ActionCompensator compensator,
      ActionRecords records,
      int parallelism) {
    this.graph = graph;
    this.router = router;
    this.compensator = compensator;
    this.records = records;
    this.parallelism = Math.max(1, parallelism);
  }

  /** What one compensation step settled: the action and its new outcome. */
  private record Settled(String id, ActionOutcome outcome) {}

  /**
   * Compensates what took effect, replacing the outcomes of the actions it settles in {@code
   * outcomes}.
   */
  public void run(Map<String, ActionOutcome> outcomes) {
    // the latest in topological order first, as the one-at-a-time rollback took them
    ReadyActions ready = ReadyActions.reverse(graph);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            runnable -> {
              Thread thread = new Thread(runnable, "compensa-rollback");
              thread.setDaemon(true);
              return thread;
            });
    CompletionService<Settled> done = new ExecutorCompletionService<>(pool);
    int running = 0;
    long failures = outcomes.values().stream().filter(RollbackCascade::failed).count();
    // for each action taken up while some compensation had failed: a dependent of it, direct or
    // not, that could not be compensated (absent: none)
    Map<String, String> blockedBelow = new HashMap<>();
    try {
      while (true) {
        while (running < parallelism && !ready.isEmpty()) {
          String id = ready.next();
          ActionOutcome outcome = outcomes.get(id);
          Optional<ResourceState> applied = records.get(graph.action(id).getResource().getName());
          if (outcome == null || !tookEffect(outcome, applied)) {
            // its dependents' blockers still block what it depends on
            blockingDependent(id, outcomes, failures, blockedBelow);
            ready.settled(id);
            continue;
          }
          // every dependent is settled already, and only this thread changes the outcomes
          Optional<String> blocker = blockingDependent(id, outcomes, failures, blockedBelow);
          done.submit(() -> new Settled(id, undo(id, outcome, applied, blocker)));
          running++;
        }
        if (running == 0) {
          return;
        }
        Settled settled = take(done);
        running--;
        outcomes.put(settled.id(), settled.outcome());
        if (failed(settled.outcome())) {
          failures++;
        }
        ready.settled(settled.id());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Compensates one action that took effect, or records it blocked; returns its new outcome. */
  private ActionOutcome undo(
      String id, ActionOutcome outcome, Optional<ResourceState> applied, Optional<String> blocker) {
    PlanAction action = graph.action(id);
    String name = action.getResource().getName();
    if (blocker.isPresent()) {
      ActionOutcome blocked =
          outcome.toBuilder()
              .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
              .setCompensation(
                  CompensationDetail.newBuilder()
                      .setResult(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                      .setBlockedBy(blocker.get())
                      .setRollback(true)
                      .setDetail(
                          "blocked by "
                              + blocker.get()
                              + ": it could not be compensated and depends on this resource"))
              .build();
      applied.ifPresent(
          r ->
              records.settle(
                  name,
                  Optional.of(
                      r.toBuilder()
                          .setNeedsAttention(true)
                          .setAttentionReason("rollback blocked by " + blocker.get())
                          .build())));
      records.journalOutcome(blocked);
      return blocked;
    }
    ResolvedAction target = ResolvedAction.resolve(action, router);
    String reason = "rollback of the apply";
    String compensating = java.time.Instant.now().toString();
    Compensation undo;
    if (outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR
        && action.getKind() == ActionKind.ACTION_KIND_REPLACE) {
      // a replace that failed yet took effect left only its new half (tainted): undo that creation
      undo =
          compensator.undoCreation(
              target, applied.orElseThrow(), outcome.getDriverOutput(), reason);
    } else {
      Optional<ResourceState> prior =
          outcome.hasPrior() ? Optional.of(outcome.getPrior()) : Optional.empty();
      undo =
          compensator.undo(
              target,
              prior,
              action.getKind() == ActionKind.ACTION_KIND_DELETE ? Optional.empty() : applied,
              outcome.getDriverOutput(),
              reason);
    }
    String compensated = java.time.Instant.now().toString();
    records.settle(name, undo.stateAfter());
    if (target.defersDelete() && undo.compensated() && target.deposedIn(applied).isPresent()) {
      // a create-before-delete replace undone: its new object's secrets go with it
      records.forgetSecrets(target.secretScope());
    }
    ActionOutcome undone =
        outcome.toBuilder()
            .setStatus(undo.status())
            .setCompensation(
                undo.detail().toBuilder()
                    .setDetail("rollback: " + undo.detail().getDetail())
                    .setRollback(true)
                    .setStartedAt(compensating)
                    .setFinishedAt(compensated))
            .build();
    records.journalOutcome(undone);
    return undone;
  }

  /** SUCCESS actions, and failed ones that left a partial (tainted) resource behind. */
  private static boolean tookEffect(ActionOutcome outcome, Optional<ResourceState> applied) {
    if (outcome.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS) {
      return outcome.getKind() == ActionKind.ACTION_KIND_DELETE || applied.isPresent();
    }
    return outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR
        && applied.isPresent()
        && applied.get().getTainted()
        && outcome.getKind() != ActionKind.ACTION_KIND_DELETE;
  }

  /**
   * A dependent of {@code id} that could not be compensated: a direct one first (the nearest
   * blocker), else any that waits for it through others; remembered in {@code blockedBelow} for
   * what {@code id} depends on. Each dependent's own answer was remembered when it was taken up
   * (every dependent of an action is settled before the action is taken up), so this costs only
   * {@code id}'s edges: walking every transitive dependent of every action made the rollback of a
   * long dependency chain quadratic.
   */
  private Optional<String> blockingDependent(
      String id,
      Map<String, ActionOutcome> outcomes,
      long failures,
      Map<String, String> blockedBelow) {
    if (failures == 0) {
      return Optional.empty(); // nothing failed, so nothing taken up so far was blocked either
    }
    String blocker = null;
    for (String dependent : graph.dependents(id)) {
      if (failed(outcomes.get(dependent))) {
        blocker = outcomes.get(dependent).getResourceName();
        break;
      }
    }
    if (blocker == null) {
      for (String dependent : graph.dependents(id)) {
        blocker = blockedBelow.get(dependent);
        if (blocker != null) {
          break;
        }
      }
    }
    if (blocker != null) {
      blockedBelow.put(id, blocker);
    }
    return Optional.ofNullable(blocker);
  }

  private static boolean failed(ActionOutcome outcome) {
    return outcome != null && outcome.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED;
  }

  private static Settled take(CompletionService<Settled> done) {
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for compensations", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a compensation failed inside the host", e.getCause());
    }
  }
}
