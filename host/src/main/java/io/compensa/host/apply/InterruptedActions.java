package io.compensa.host.apply;

import io.compensa.host.compensate.ActionCompensator;
import io.compensa.host.compensate.Compensation;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalCall;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles, for {@code compensa recover}, the actions that were in flight when a host died, from
 * what the journal recorded of their calls; the steps themselves are those of an apply ({@link
 * ActionExecutor}, {@link PostDriverSteps}, {@link ActionCompensator}). Thread-safe as the executor
 * is.
 */
final class InterruptedActions {
  private static final Logger log = LoggerFactory.getLogger(InterruptedActions.class);

  private final PluginRouter router;
  private final ActionExecutor executor;
  private final PostDriverSteps steps;
  private final ActionCompensator compensator;
  private final ResourceRecords records;
  private final ReadBack readBack;
  private final HeldSecrets held;

  InterruptedActions(
      PluginRouter router,
      ActionExecutor executor,
      PostDriverSteps steps,
      ActionCompensator compensator,
      ResourceRecords records,
      ReadBack readBack,
      HeldSecrets held) {
    this.router = router;
    this.held = held;
    this.executor = executor;
    this.steps = steps;
    this.compensator = compensator;
    this.records = records;
    this.readBack = readBack;
  }

  /**
   * Settles an action that was in flight when the host died, from what the journal recorded of its
   * calls. A failed post-driver step that was journaled means compensation had begun: it is done
   * again (every compensation call is idempotent). A forward call whose answer was journaled took
   * effect: the post-driver steps run again, on its journaled output with the sensitive values the
   * secrets store still holds ({@link HeldSecrets}). A call without an answer is checked with Read;
   * if it took effect the post-driver steps run, and if not the action runs again with the same
   * action id (which the driver's idempotency makes safe).
   */
  ActionOutcome recover(
      PlanAction action, List<JournalCall> journaled, Optional<String> hookFailure) {
    Optional<ResourceState> prior = executor.prior(action);
    ActionOutcome.Builder outcome = ActionExecutor.newOutcome(action, prior).setRecovered(true);
    Optional<ResourceOutput> journaledOutput = forwardOutput(action, journaled);
    try {
      ResolvedAction target = ResolvedAction.resolve(action, router);
      Optional<ResourceOutput> forward =
          journaledOutput.map(output -> held.restore(target.secretScope(), output));
      if (hookFailure.isPresent()
          && (forward.isPresent() || action.getKind() == ActionKind.ACTION_KIND_DELETE)) {
        ResourceOutput output = forward.orElse(ResourceOutput.getDefaultInstance());
        Optional<ResourceState> applied =
            action.getKind() == ActionKind.ACTION_KIND_DELETE
                ? Optional.empty()
                : Optional.of(target.applied(output, prior));
        outcome.setHookError(hookFailure.get()).setDriverOutput(output);
        Compensation undo = compensator.undo(target, prior, applied, output, hookFailure.get());
        records.settle(target.name(), undo.stateAfter());
        if (target.defersDelete() && undo.compensated()) {
          records.forgetSecrets(target.secretScope());
        }
        return outcome.setStatus(undo.status()).setCompensation(undo.detail()).build();
      }
      if (forward.isPresent() || forwardSucceeded(action, journaled)) {
        return steps.resume(
            target, outcome, prior, forward.orElse(ResourceOutput.getDefaultInstance()));
      }
      Optional<ResourceOutput> found = readBack.tookEffect(target, prior);
      if (found.isPresent()) {
        return steps.resume(target, outcome, prior, found.get());
      }
      if (target.reads()
          && (action.getKind() == ActionKind.ACTION_KIND_CREATE
              || action.getKind() == ActionKind.ACTION_KIND_UPDATE)) {
        // Read shows the call had no effect (or its effect was undone): a record an earlier
        // attempt's persistence step journaled names what is not there, so the action starts
        // again from its prior record, and ends with it if it fails again
        records.settle(target.name(), prior);
      }
      return executor.execute(action).toBuilder().setRecovered(true).build();
    } catch (RuntimeException e) {
      log.error("recovering action {} failed inside the host", action.getId(), e);
      return outcome
          .setStatus(ActionExecutor.failureStatus(action))
          .setDriverError("host error during recovery: " + e)
          .build();
    }
  }

  /**
   * What the journal holds of the forward driver call's answer (the last half of a replace), or of
   * the Read that stood in for a lost answer ({@link ReadBack}).
   */
  static Optional<ResourceOutput> forwardOutput(PlanAction action, List<JournalCall> journaled) {
    String call = forwardCall(action);
    String readBack = ReadBack.READ_BACK_PREFIX + call;
    for (int i = journaled.size() - 1; i >= 0; i--) {
      JournalCall record = journaled.get(i);
      if ((record.getCall().equals(call) || record.getCall().equals(readBack))
          && record.getPhase() == JournalCall.Phase.PHASE_SUCCEEDED
          && record.hasOutput()
          && !record.getOutput().getProviderId().isEmpty()) {
        return Optional.of(record.getOutput());
      }
    }
    return Optional.empty();
  }

  private static boolean forwardSucceeded(PlanAction action, List<JournalCall> journaled) {
    return action.getKind() == ActionKind.ACTION_KIND_DELETE
        && journaled.stream()
            .anyMatch(
                record ->
                    record.getCall().equals("Delete")
                        && record.getPhase() == JournalCall.Phase.PHASE_SUCCEEDED);
  }

  private static String forwardCall(PlanAction action) {
    switch (action.getKind()) {
      case ACTION_KIND_CREATE:
        return "Create";
      case ACTION_KIND_UPDATE:
        return "Update";
      case ACTION_KIND_DELETE:
        return "Delete";
      default:
        return "Create (replace)";
    }
  }
}
