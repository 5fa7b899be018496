package io.compensa.host.apply;

import io.compensa.host.compensate.ActionCompensator;
import io.compensa.host.compensate.Compensation;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.UpdateRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one plan action's forward driver call (or the two of a replace) and hands a call that
 * took effect to the {@link PostDriverSteps}. A driver error ends the action ERROR (DELETE_FAILED
 * for a delete), keeping a partial resource tainted; a plugin that crashed under the call is asked
 * with Read whether the call took effect. Every path ends with one outcome and the record set to
 * match the world (docs/compensation.md). Thread-safe: actions run on several threads at once.
 */
final class ActionExecutor {
  private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

  private final PluginRouter router;
  private final ResourceRecords records;
  private final DriverCalls calls;
  private final PostDriverSteps steps;
  private final ActionCompensator compensator;
  private final ReadBack readBack;

  ActionExecutor(
      PluginRouter router,
      ResourceRecords records,
      DriverCalls calls,
      PostDriverSteps steps,
      ActionCompensator compensator,
      ReadBack readBack) {
    this.router = router;
    this.records = records;
    this.calls = calls;
    this.steps = steps;
    this.compensator = compensator;
    this.readBack = readBack;
  }

  /** Applies {@code action}; never throws. */
  ActionOutcome execute(PlanAction action) {
    Optional<ResourceState> prior = prior(action);
    ActionOutcome.Builder outcome = newOutcome(action, prior);
    try {
      ResolvedAction target = ResolvedAction.resolve(action, router);
      switch (action.getKind()) {
        case ACTION_KIND_CREATE:
          return create(target, outcome);
        case ACTION_KIND_UPDATE:
          return update(target, prior.orElseThrow(), outcome);
        case ACTION_KIND_DELETE:
          return delete(target, prior.orElseThrow(), outcome);
        case ACTION_KIND_REPLACE:
          return target.createsBeforeDeleting()
              ? replaceCreatingFirst(target, prior.orElseThrow(), outcome)
              : replace(target, prior.orElseThrow(), outcome);
        default:
          throw new IllegalArgumentException("unknown action kind " + action.getKind());
      }
    } catch (RuntimeException e) {
      log.error("action {} failed inside the host", action.getId(), e);
      return outcome.setStatus(failureStatus(action)).setDriverError("host error: " + e).build();
    }
  }

  /** The outcome of {@code action} before it ends: its ids, kind and prior record. */
  static ActionOutcome.Builder newOutcome(PlanAction action, Optional<ResourceState> prior) {
    ActionOutcome.Builder outcome =
        ActionOutcome.newBuilder()
            .setActionId(action.getId())
            .setResourceName(action.getResource().getName())
            .setKind(action.getKind());
    prior.ifPresent(outcome::setPrior);
    return outcome;
  }

  /** The record before {@code action}: the plan's copy, or the state's. */
  Optional<ResourceState> prior(PlanAction action) {
    if (action.getKind() == ActionKind.ACTION_KIND_CREATE) {
      return Optional.empty();
    }
    return action.hasCurrent()
        ? Optional.of(action.getCurrent())
        : records.get(action.getResource().getName());
  }

  private ActionOutcome create(ResolvedAction target, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output =
          forward(
                  target,
                  "Create",
                  () ->
                      target
                          .endpoint()
                          .create(
                              CreateRequest.newBuilder()
                                  .setActionId(target.id())
                                  .setResource(target.action().getResource())
                                  .build()))
              .getOutput();
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(target, outcome, Optional.empty(), e);
      }
      return driverFailed(target, outcome, e, Optional.empty());
    }
    return steps.run(
        target,
        outcome.setDriverOutput(output),
        Optional.empty(),
        Optional.of(target.entry(output)),
        output);
  }

  private ActionOutcome update(
      ResolvedAction target, ResourceState prior, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output =
          forward(
                  target,
                  "Update",
                  () ->
                      target
                          .endpoint()
                          .update(
                              UpdateRequest.newBuilder()
                                  .setActionId(target.id())
                                  .setResource(target.action().getResource())
                                  .setPrior(prior)
                                  .build()))
              .getOutput();
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(target, outcome, Optional.of(prior), e);
      }
      return driverFailed(target, outcome, e, Optional.of(prior));
    }
    return steps.run(
        target,
        outcome.setDriverOutput(output),
        Optional.of(prior),
        Optional.of(target.applied(output, Optional.of(prior))),
        output);
  }

  private ActionOutcome delete(
      ResolvedAction target, ResourceState prior, ActionOutcome.Builder outcome) {
    try {
      deleteDeposed(target, prior);
    } catch (DriverCallException e) {
      return outcome
          .setStatus(ActionStatus.ACTION_STATUS_DELETE_FAILED)
          .setDriverError(e.getMessage())
          .build();
    }
    try {
      forward(
          target,
          "Delete",
          () ->
              target
                  .endpoint()
                  .delete(
                      DeleteRequest.newBuilder().setActionId(target.id()).setState(prior).build()));
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(target, outcome, Optional.of(prior), e);
      }
      return driverFailed(target, outcome, e, Optional.of(prior));
    }
    return steps.run(
        target, outcome, Optional.of(prior), Optional.empty(), ResourceOutput.getDefaultInstance());
  }

  /** A delete-first replace: delete the old, then create the new. */
  private ActionOutcome replace(
      ResolvedAction target, ResourceState old, ActionOutcome.Builder outcome) {
    try {
      deleteOld(target, old);
    } catch (DriverCallException e) {
      return driverFailed(target, outcome, e, Optional.of(old));
    }
    records.set(old.getName(), Optional.empty());
    ResourceOutput output;
    try {
      output = createNew(target);
    } catch (DriverCallException e) {
      return halfReplaced(
          target,
          old,
          outcome.setDriverError(
              "the old resource was deleted, then Create failed: " + e.getMessage()),
          e);
    }
    return steps.run(
        target,
        outcome.setDriverOutput(output),
        Optional.of(old),
        Optional.of(target.applied(output, Optional.of(old))),
        output);
  }

  /**
   * A create-before-delete replace: create the new object and run the post-driver steps on it while
   * the old one keeps serving. The old object is recorded beside the new one as deposed; it is
   * deleted at the end of the apply, once every action that depends on this one has moved to the
   * new object ({@link DeferredDeletes}). A failed step undoes the new object alone and leaves the
   * old one the record, untouched.
   */
  private ActionOutcome replaceCreatingFirst(
      ResolvedAction target, ResourceState old, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output = createNew(target);
    } catch (DriverCallException e) {
      return driverFailed(target, outcome, e, Optional.of(old));
    }
    return steps.run(
        target,
        outcome.setDriverOutput(output),
        Optional.of(old),
        Optional.of(target.applied(output, Optional.of(old))),
        output);
  }

  /**
   * Deletes the objects a resource's record lists as deposed, each with the id of the replace that
   * deposed it, before the resource itself is deleted.
   */
  private void deleteDeposed(ResolvedAction target, ResourceState record)
      throws DriverCallException {
    for (DeposedObject deposed : record.getDeposedList()) {
      try {
        calls.deleteDeposed(target, target.id(), deposed);
        records.forgetSecretsOf(target.name(), deposed.getState().getOutput());
      } catch (DriverCallException e) {
        throw new DriverCallException(
            "deleting the old object "
                + deposed.getState().getOutput().getProviderId()
                + " that an earlier replace left beside "
                + target.name()
                + " failed: "
                + e.getMessage()
                + "; nothing was deleted after it");
      }
    }
  }

  /**
   * The old resource was deleted and the new one's Create failed: keep a partial, or restore the
   * old.
   */
  private ActionOutcome halfReplaced(
      ResolvedAction target,
      ResourceState old,
      ActionOutcome.Builder outcome,
      DriverCallException createError) {
    if (createError.partialOutput().isPresent()) {
      ResourceState partial =
          target.entry(createError.partialOutput().get()).toBuilder().setTainted(true).build();
      records.settle(old.getName(), Optional.of(partial));
      return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).build();
    }
    Optional<Compensation> restored = compensator.restoreReplaced(target, old);
    if (restored.isPresent() && restored.get().compensated()) {
      records.settle(old.getName(), restored.get().stateAfter());
      return outcome
          .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
          .setCompensation(restored.get().detail())
          .build();
    }
    records.settle(old.getName(), Optional.empty());
    records.forgetSecrets(old.getName());
    if (restored.isPresent()) {
      return outcome
          .setStatus(ActionStatus.ACTION_STATUS_ERROR)
          .setCompensation(restored.get().detail())
          .build();
    }
    return outcome
        .setStatus(ActionStatus.ACTION_STATUS_ERROR)
        .setDriverError(
            "half-replaced: "
                + outcome.getDriverError()
                + "; the outcome keeps the old configuration")
        .build();
  }

  /**
   * The plugin died during the forward call: the relaunched plugin's Read tells whether the call
   * took effect. If it did, the post-driver steps run as usual; if not (or nobody can tell), the
   * action failed with the crash as its error.
   */
  private ActionOutcome afterCrash(
      ResolvedAction target,
      ActionOutcome.Builder outcome,
      Optional<ResourceState> prior,
      DriverCallException crash) {
    Optional<ResourceOutput> found = readBack.tookEffect(target, prior);
    if (found.isPresent()) {
      log.warn(
          "the plugin crashed during {} of {}, but Read shows the call took effect",
          target.kind(),
          target.name());
      return steps.resume(target, outcome, prior, found.get());
    }
    return driverFailed(
        target,
        outcome,
        new DriverCallException(
            crash.getMessage()
                + " (Read after relaunching the plugin shows the call did not take effect, or could not tell)"),
        prior);
  }

  /**
   * Makes the forward call of {@code target}. A type that can Read is asked with Read after a crash
   * under the call (the caller does that); a type that cannot is asked by repeating the call with
   * the same action id once its plugin is relaunched, which the contract makes safe (a repeated
   * Create returns what the first made): otherwise an object the lost call made would be in the
   * world without a record.
   */
  private <T> T forward(ResolvedAction target, String callName, DriverCalls.Call<T> call)
      throws DriverCallException {
    return target.reads()
        ? calls.forward(target.id(), callName, call)
        : calls.call(target.id(), callName, call);
  }

  private ActionOutcome driverFailed(
      ResolvedAction target,
      ActionOutcome.Builder outcome,
      DriverCallException e,
      Optional<ResourceState> prior) {
    if (DriverCalls.notStarted(e)) {
      // nothing was called: the action did not start, which is also what recover will find
      return outcome
          .setStatus(ActionStatus.ACTION_STATUS_SKIPPED)
          .setSkipReason("not started: " + e.getMessage())
          .build();
    }
    outcome.setDriverError(e.getMessage());
    if (e.rolledBack()) {
      return outcome
          .setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
          .setCompensation(
              CompensationDetail.newBuilder()
                  .setCompensator(Compensator.COMPENSATOR_PLUGIN_SELF)
                  .setCall(callName(target.kind()))
                  .setResult(ActionStatus.ACTION_STATUS_COMPENSATED)
                  .setDetail("the plugin rolled back its own partial work: " + e.getMessage()))
          .build();
    }
    if (target.kind() == ActionKind.ACTION_KIND_DELETE) {
      return outcome.setStatus(ActionStatus.ACTION_STATUS_DELETE_FAILED).build();
    }
    if (e.partialOutput().isPresent() && target.defersDelete() && prior.isPresent()) {
      // the old object was never touched: it stays the record, the partial new one beside it
      ResourceState partial =
          target.entry(e.partialOutput().get()).toBuilder()
              .setTainted(true)
              .setNeedsAttention(true)
              .setAttentionReason(
                  "the partial new object of a create-before-delete replace that failed: delete it")
              .build();
      records.settle(
          target.name(),
          Optional.of(
              prior.get().toBuilder()
                  .addDeposed(DeposedObject.newBuilder().setActionId(target.id()).setState(partial))
                  .build()));
      outcome.setDriverOutput(e.partialOutput().get());
      return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).build();
    }
    if (e.partialOutput().isPresent()) {
      ResourceState base = prior.orElseGet(() -> target.entry(ResourceOutput.getDefaultInstance()));
      ResourceState tainted =
          base.toBuilder().setOutput(e.partialOutput().get()).setTainted(true).build();
      records.settle(target.name(), Optional.of(tainted));
      outcome.setDriverOutput(e.partialOutput().get());
    }
    return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).build();
  }

  private ResourceOutput createNew(ResolvedAction target) throws DriverCallException {
    return calls
        .call(
            target.id(),
            "Create (replace)",
            () ->
                target
                    .endpoint()
                    .create(
                        CreateRequest.newBuilder()
                            .setActionId(target.id())
                            .setResource(target.action().getResource())
                            .build()))
        .getOutput();
  }

  private void deleteOld(ResolvedAction target, ResourceState old) throws DriverCallException {
    calls.call(
        target.id(),
        "Delete (replace)",
        () ->
            target
                .endpoint()
                .delete(DeleteRequest.newBuilder().setActionId(target.id()).setState(old).build()));
  }

  private static String callName(ActionKind kind) {
    switch (kind) {
      case ACTION_KIND_UPDATE:
        return "Update";
      case ACTION_KIND_DELETE:
        return "Delete";
      default:
        return "Create";
    }
  }

  static ActionStatus failureStatus(PlanAction action) {
    return action.getKind() == ActionKind.ACTION_KIND_DELETE
        ? ActionStatus.ACTION_STATUS_DELETE_FAILED
        : ActionStatus.ACTION_STATUS_ERROR;
  }
}
