package io.compensa.host.apply;

import io.compensa.host.compensate.ActionCompensator;
import io.compensa.host.compensate.Compensation;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.plan.ActionGraph;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deferred half of every create-before-delete replace: once the apply's actions have ended, and
 * the apply is not rolled back, the old object each such replace deposed is deleted, provided every
 * action that depends on the replace reached its desired state (moved to the new object). When none
 * of them did (they failed, were skipped, or never started before a crash), nothing uses the new
 * object: it is undone by the type's create policy and the old one stays the record (COMPENSATED).
 * When some moved and some did not, the old object may still be in use and is kept, and so is one
 * whose Delete fails: it stays recorded beside the new object, needing attention, and the replace
 * ends ERROR saying why.
 *
 * <p>Dependents' objects go first (reverse dependency order), one at a time: a replace of a
 * dependent deletes its old object, which may use its dependency's old object, before the
 * dependency's. The calling thread does the work.
 */
final class DeferredDeletes {
  private final ActionGraph graph;
  private final PluginRouter router;
  private final DriverCalls calls;
  private final ResourceRecords records;
  private final ActionCompensator compensator;

  DeferredDeletes(
      ActionGraph graph,
      PluginRouter router,
      DriverCalls calls,
      ResourceRecords records,
      ActionCompensator compensator) {
    this.graph = graph;
    this.router = router;
    this.calls = calls;
    this.records = records;
    this.compensator = compensator;
  }

  /** Deletes or keeps each deposed object, replacing the outcomes of replaces that end ERROR. */
  void run(Map<String, ActionOutcome> outcomes) {
    if (outcomes.entrySet().stream()
        .noneMatch(
            e ->
                e.getValue().getStatus() == ActionStatus.ACTION_STATUS_SUCCESS
                    && graph.action(e.getKey()).getKind() == ActionKind.ACTION_KIND_REPLACE)) {
      return; // no replace reached its desired state: no old object waits for its delete
    }
    List<String> order = new ArrayList<>(graph.topologicalOrder());
    Collections.reverse(order);
    Dependents dependents = new Dependents(outcomes);
    for (String id : order) {
      // every dependent of id came before it, and its outcome is final
      dependents.take(id);
      ActionOutcome outcome = outcomes.get(id);
      PlanAction action = graph.action(id);
      if (outcome == null
          || outcome.getStatus() != ActionStatus.ACTION_STATUS_SUCCESS
          || action.getKind() != ActionKind.ACTION_KIND_REPLACE) {
        continue;
      }
      ResolvedAction target = ResolvedAction.resolve(action, router);
      Optional<ResourceState> record = records.get(target.name());
      Optional<DeposedObject> old = target.deposedIn(record);
      if (old.isEmpty()) {
        continue;
      }
      ActionOutcome settled = settle(target, outcome, record.orElseThrow(), old.get(), dependents);
      if (settled != outcome) {
        outcomes.put(id, settled);
        records.journalOutcome(settled);
      }
    }
  }

  /**
   * What the dependents, direct or not, of each action taken so far did: whether any reached its
   * desired state, and one that did not. Actions are taken dependents first, so each answer is made
   * from its direct dependents' outcomes and their own answers: walking every transitive dependent
   * of every replace made a long chain of replaces quadratic.
   */
  private final class Dependents {
    private final Map<String, ActionOutcome> outcomes;
    private final Set<String> anyMoved = new HashSet<>();
    private final Map<String, String> oneNotMoved = new HashMap<>();

    Dependents(Map<String, ActionOutcome> outcomes) {
      this.outcomes = outcomes;
    }

    /** Works out the answers for {@code id}, whose dependents were all taken before. */
    void take(String id) {
      String notMoved = null;
      boolean moved = false;
      for (String dependent : graph.dependents(id)) {
        ActionOutcome outcome = outcomes.get(dependent);
        boolean reached = outcome != null && ApplyRun.reached(outcome);
        moved |= reached || anyMoved.contains(dependent);
        if (notMoved == null && !reached) {
          notMoved = dependent;
        }
      }
      if (notMoved == null) {
        for (String dependent : graph.dependents(id)) {
          notMoved = oneNotMoved.get(dependent);
          if (notMoved != null) {
            break;
          }
        }
      }
      if (moved) {
        anyMoved.add(id);
      }
      if (notMoved != null) {
        oneNotMoved.put(id, notMoved);
      }
    }

    /** Whether some dependent of {@code id}, direct or not, reached its desired state. */
    boolean anyMoved(String id) {
      return anyMoved.contains(id);
    }

    /**
     * A dependent of {@code id}, direct or not, that did not reach its desired state, as {@code
     * name", which depends on "X", ended STATUS}.
     */
    Optional<String> notMoved(String id) {
      String dependent = oneNotMoved.get(id);
      if (dependent == null) {
        return Optional.empty();
      }
      ActionOutcome outcome = outcomes.get(dependent);
      return Optional.of(
          graph.action(dependent).getResource().getName()
              + "\", which depends on \""
              + graph.action(id).getResource().getName()
              + "\", ended "
              + (outcome == null
                  ? "without an outcome"
                  : outcome.getStatus().name().substring("ACTION_STATUS_".length())));
    }
  }

  /** Deletes {@code old}, or keeps it and says why; returns the replace's final outcome. */
  private ActionOutcome settle(
      ResolvedAction target,
      ActionOutcome outcome,
      ResourceState record,
      DeposedObject old,
      Dependents dependents) {
    String oldId = old.getState().getOutput().getProviderId();
    Optional<String> user = dependents.notMoved(target.id());
    if (user.isPresent() && !dependents.anyMoved(target.id())) {
      // nothing uses the new object: undo it, and the old one, never touched, stays the record
      String reason =
          "\"" + user.get() + ", so nothing moved to the new object and the old one stays in use";
      // the record before the replace, with the objects it listed as deposed before it
      ResourceState before = outcome.hasPrior() ? outcome.getPrior() : old.getState();
      String compensating = java.time.Instant.now().toString();
      Compensation undo =
          compensator.undo(
              target, Optional.of(before), Optional.of(record), outcome.getDriverOutput(), reason);
      String compensated = java.time.Instant.now().toString();
      records.settle(target.name(), undo.stateAfter());
      if (undo.compensated()) {
        records.forgetSecrets(target.secretScope());
      }
      return outcome.toBuilder()
          .setStatus(undo.status())
          .setCompensation(
              undo.detail().toBuilder()
                  .setDetail(reason + ": " + undo.detail().getDetail())
                  .setStartedAt(compensating)
                  .setFinishedAt(compensated))
          .setFinishedAt(compensated)
          .build();
    }
    if (user.isPresent()) {
      String why = "kept: \"" + user.get() + " and may still use it";
      return keep(target, outcome, record, old, "the old object " + oldId + " was " + why, why);
    }
    try {
      calls.deleteDeposed(target, target.id(), old);
    } catch (DriverCallException e) {
      String why = "its deferred Delete failed: " + e.getMessage();
      return keep(
          target,
          outcome,
          record,
          old,
          "the new object replaced the old one, then the deferred Delete of the old object "
              + oldId
              + " failed: "
              + e.getMessage(),
          why);
    }
    records.settle(target.name(), Optional.of(target.withoutDeposed(record)));
    records.forgetSecretsOf(target.name(), old.getState().getOutput());
    // journaled again so that a recover after this point finds the old object gone from the record;
    // the replace ended with its deferred Delete
    return outcome.toBuilder().setFinishedAt(java.time.Instant.now().toString()).build();
  }

  /**
   * Keeps {@code old} recorded as deposed, needing attention, and ends the replace ERROR with
   * {@code error}.
   */
  private ActionOutcome keep(
      ResolvedAction target,
      ActionOutcome outcome,
      ResourceState record,
      DeposedObject old,
      String error,
      String why) {
    String reason =
        "the old object "
            + old.getState().getOutput().getProviderId()
            + " of this resource still exists ("
            + why
            + "): delete it once nothing uses it, or delete \""
            + target.name()
            + "\", which deletes it too";
    DeposedObject marked =
        old.toBuilder()
            .setState(old.getState().toBuilder().setNeedsAttention(true).setAttentionReason(reason))
            .build();
    ResourceState.Builder kept = target.withoutDeposed(record).toBuilder().addDeposed(marked);
    kept.setNeedsAttention(true).setAttentionReason(reason);
    records.settle(target.name(), Optional.of(kept.build()));
    return outcome.toBuilder()
        .setStatus(ActionStatus.ACTION_STATUS_ERROR)
        .setDriverError(error + "; it stays recorded beside the new object, needing attention")
        .setFinishedAt(java.time.Instant.now().toString())
        .build();
  }
}
