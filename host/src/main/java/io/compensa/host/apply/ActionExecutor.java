package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one plan action: the driver call (or the two of a replace), the post-driver hooks, and the
 * compensation when a hook fails. Every path ends with one outcome and the working state set to
 * match the world (the outcome table in docs/compensation.md). Thread-safe: actions run on several threads at once.
 */
final class ActionExecutor {
  private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

  private final PluginRouter router;
  private final WorkingState state;
  private final DriverCalls calls;
  private final ActionCompensator compensator;
  private final ApplyOptions options;
  private final List<String> problems;
  private final SecretRouting secrets;

  ActionExecutor(PluginRouter router, WorkingState state, DriverCalls calls, ApplyOptions options,
      SecretRouting secrets, List<String> problems) {
    this.secrets = secrets;
    this.router = router;
    this.state = state;
    this.calls = calls;
    this.compensator = new ActionCompensator(router, calls);
    this.options = options;
    this.problems = problems;
  }

  ActionCompensator compensator() {
    return compensator;
  }

  /** Applies {@code action}; never throws. */
  ActionOutcome execute(PlanAction action) {
    Optional<ResourceState> prior = prior(action);
    ActionOutcome.Builder outcome = ActionOutcome.newBuilder()
        .setActionId(action.getId())
        .setResourceName(action.getResource().getName())
        .setKind(action.getKind());
    prior.ifPresent(outcome::setPrior);
    try {
      switch (action.getKind()) {
        case ACTION_KIND_CREATE:
          return create(action, outcome);
        case ACTION_KIND_UPDATE:
          return update(action, prior.orElseThrow(), outcome);
        case ACTION_KIND_DELETE:
          return delete(action, prior.orElseThrow(), outcome);
        case ACTION_KIND_REPLACE:
          return replace(action, prior.orElseThrow(), outcome);
        default:
          throw new IllegalArgumentException("unknown action kind " + action.getKind());
      }
    } catch (RuntimeException e) {
      log.error("action {} failed inside the host", action.getId(), e);
      return outcome.setStatus(failureStatus(action))
          .setDriverError("host error: " + e)
          .build();
    }
  }

  /** Journals {@code outcome} with the state's current record of its resource. */
  void journalOutcome(ActionOutcome outcome) {
    calls.journal().outcome(outcome, state.get(outcome.getResourceName()));
  }

  /**
   * The plugin died during the forward call: the relaunched plugin's Read tells whether the call
   * took effect. If it did, the post-driver steps run as usual; if not (or nobody can tell), the
   * action failed with the crash as its error.
   */
  private ActionOutcome afterCrash(PlanAction action, ActionOutcome.Builder outcome, Optional<ResourceState> prior,
      DriverCallException crash) {
    Optional<ResourceOutput> found = tookEffect(action, prior);
    if (found.isPresent()) {
      log.warn("the plugin crashed during {} of {}, but Read shows the call took effect", action.getKind(),
          action.getResource().getName());
      return resumeAfterDriver(action, outcome, prior, found.get());
    }
    return driverFailed(action, outcome, new DriverCallException(crash.getMessage()
        + " (Read after relaunching the plugin shows the call did not take effect, or could not tell)"), prior);
  }

  ActionOutcome resumeAfterDriver(PlanAction action, ActionOutcome.Builder outcome,
      Optional<ResourceState> prior, ResourceOutput output) {
    if (action.getKind() == ActionKind.ACTION_KIND_DELETE) {
      return afterDriver(action, outcome, prior, Optional.empty(), ResourceOutput.getDefaultInstance());
    }
    // values the journal never held (secrets) cannot be recovered; the keys that named them go too
    ResourceOutput.Builder kept = output.toBuilder().clearSensitiveKeys();
    for (String key : output.getSensitiveKeysList()) {
      if (output.getOutputs().containsFields(key)) {
        kept.addSensitiveKeys(key);
      }
    }
    ResourceOutput clean = kept.build();
    return afterDriver(action, outcome.setDriverOutput(clean), prior, Optional.of(entry(action, clean)), clean);
  }

  /**
   * Asks the driver whether the forward call of {@code action} took effect; the resource's output
   * when it did (empty output for a delete), nothing when it did not or the driver cannot tell.
   */
  Optional<ResourceOutput> tookEffect(PlanAction action, Optional<ResourceState> prior) {
    ResourceType type = router.type(action.getResource().getType());
    if (!type.getOperationsList().contains(io.compensa.proto.v1.Operation.OPERATION_READ)
        || action.getKind() == ActionKind.ACTION_KIND_REPLACE) {
      return Optional.empty();
    }
    String providerId = action.getKind() == ActionKind.ACTION_KIND_CREATE
        ? "" : prior.map(p -> p.getOutput().getProviderId()).orElse("");
    ReadResponse read;
    try {
      read = calls.call(action.getId(), "Read (recover)", () -> router.endpoint(action).read(ReadRequest.newBuilder()
          .setActionId(action.getId())
          .setResource(action.getResource())
          .setProviderId(providerId)
          .build()));
    } catch (DriverCallException e) {
      return Optional.empty();
    }
    switch (action.getKind()) {
      case ACTION_KIND_CREATE:
        return read.getExists() ? Optional.of(read.getOutput()) : Optional.empty();
      case ACTION_KIND_DELETE:
        return read.getExists() ? Optional.empty() : Optional.of(ResourceOutput.getDefaultInstance());
      default:
        boolean updated = read.getExists() && read.hasObservedConfig()
            && observes(read.getObservedConfig(), action.getResource().getConfig());
        return updated ? Optional.of(read.getOutput()) : Optional.empty();
    }
  }

  /**
   * Whether {@code observed} shows every field {@code desired} sets, with its value. The observed
   * config may hold more (fields the provider defaults, such as a file's mode), which does not
   * make the update any less done.
   */
  private static boolean observes(com.google.protobuf.Struct observed, com.google.protobuf.Struct desired) {
    for (java.util.Map.Entry<String, com.google.protobuf.Value> field : desired.getFieldsMap().entrySet()) {
      if (!field.getValue().equals(observed.getFieldsMap().get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The record before {@code action}: the plan's copy, or the state's. */
  Optional<ResourceState> prior(PlanAction action) {
    if (action.getKind() == ActionKind.ACTION_KIND_CREATE) {
      return Optional.empty();
    }
    return action.hasCurrent() ? Optional.of(action.getCurrent()) : state.get(action.getResource().getName());
  }

  private ActionOutcome create(PlanAction action, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output = calls.forward(action.getId(), "Create", () -> router.endpoint(action)
          .create(CreateRequest.newBuilder().setActionId(action.getId()).setResource(action.getResource()).build()))
          .getOutput();
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(action, outcome, Optional.empty(), e);
      }
      return driverFailed(action, outcome, e, Optional.empty());
    }
    ResourceState created = entry(action, output);
    return afterDriver(action, outcome.setDriverOutput(output), Optional.empty(), Optional.of(created), output);
  }

  private ActionOutcome update(PlanAction action, ResourceState prior, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output = calls.forward(action.getId(), "Update", () -> router.endpoint(action)
          .update(UpdateRequest.newBuilder().setActionId(action.getId()).setResource(action.getResource())
              .setPrior(prior).build()))
          .getOutput();
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(action, outcome, Optional.of(prior), e);
      }
      return driverFailed(action, outcome, e, Optional.of(prior));
    }
    ResourceState updated = entry(action, output);
    return afterDriver(action, outcome.setDriverOutput(output), Optional.of(prior), Optional.of(updated), output);
  }

  private ActionOutcome delete(PlanAction action, ResourceState prior, ActionOutcome.Builder outcome) {
    try {
      calls.forward(action.getId(), "Delete", () -> router.endpoint(action)
          .delete(DeleteRequest.newBuilder().setActionId(action.getId()).setState(prior).build()));
    } catch (DriverCallException e) {
      if (e.crashed()) {
        return afterCrash(action, outcome, Optional.of(prior), e);
      }
      return driverFailed(action, outcome, e, Optional.of(prior));
    }
    return afterDriver(action, outcome, Optional.of(prior), Optional.empty(), ResourceOutput.getDefaultInstance());
  }

  private ActionOutcome replace(PlanAction action, ResourceState old, ActionOutcome.Builder outcome) {
    ResourceType type = router.type(action.getResource().getType());
    if (type.getCreateBeforeDelete()) {
      return replaceCreatingFirst(action, old, outcome);
    }
    try {
      deleteCall(action, old, "Delete (replace)");
    } catch (DriverCallException e) {
      return driverFailed(action, outcome, e, Optional.of(old));
    }
    state.set(old.getName(), Optional.empty());
    ResourceOutput output;
    try {
      output = calls.call(action.getId(), "Create (replace)", () -> router.endpoint(action)
          .create(CreateRequest.newBuilder().setActionId(action.getId()).setResource(action.getResource()).build()))
          .getOutput();
    } catch (DriverCallException e) {
      return halfReplaced(action, old, outcome.setDriverError("the old resource was deleted, then Create failed: "
          + e.getMessage()), e);
    }
    ResourceState created = entry(action, output);
    return afterDriver(action, outcome.setDriverOutput(output), Optional.of(old), Optional.of(created), output);
  }

  private ActionOutcome replaceCreatingFirst(PlanAction action, ResourceState old, ActionOutcome.Builder outcome) {
    ResourceOutput output;
    try {
      output = calls.call(action.getId(), "Create (replace)", () -> router.endpoint(action)
          .create(CreateRequest.newBuilder().setActionId(action.getId()).setResource(action.getResource()).build()))
          .getOutput();
    } catch (DriverCallException e) {
      return driverFailed(action, outcome, e, Optional.of(old));
    }
    ResourceState created = entry(action, output);
    try {
      deleteCall(action, old, "Delete (replace)");
    } catch (DriverCallException e) {
      // both exist: take the new one away again so the record keeps naming one resource
      outcome.setDriverOutput(output).setDriverError("the new resource was created, then deleting the old one failed: "
          + e.getMessage());
      Compensation undo = compensator.undo(
          action.toBuilder().setKind(io.compensa.proto.v1.ActionKind.ACTION_KIND_CREATE).build(),
          Optional.empty(), Optional.of(created), output, "replace could not delete the old resource");
      if (undo.status() == ActionStatus.ACTION_STATUS_COMPENSATED) {
        settle(old.getName(), Optional.of(old));
        return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).setCompensation(undo.detail()).build();
      }
      ResourceState both = created.toBuilder().setNeedsAttention(true).setAttentionReason(
          "half-replaced: the old resource " + old.getOutput().getProviderId() + " still exists beside this one").build();
      settle(old.getName(), Optional.of(both));
      return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).setCompensation(undo.detail()).build();
    }
    return afterDriver(action, outcome.setDriverOutput(output), Optional.of(old), Optional.of(created), output);
  }

  private ActionOutcome halfReplaced(PlanAction action, ResourceState old, ActionOutcome.Builder outcome,
      DriverCallException createError) {
    if (createError.partialOutput().isPresent()) {
      ResourceState partial = entry(action, createError.partialOutput().get()).toBuilder().setTainted(true).build();
      settle(old.getName(), Optional.of(partial));
      return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).build();
    }
    ResourceType type = router.type(action.getResource().getType());
    if (type.getCompensation().getDelete() == io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      CompensationDetail.Builder detail = CompensationDetail.newBuilder()
          .setCompensator(Compensator.COMPENSATOR_HOST).setCall("Create");
      try {
        ResourceState recreated = compensator.recreate(action, old);
        settle(old.getName(), Optional.of(recreated));
        return outcome.setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
            .setCompensation(detail.setResult(ActionStatus.ACTION_STATUS_COMPENSATED)
                .setDetail("recreated the old resource as " + recreated.getOutput().getProviderId()))
            .build();
      } catch (DriverCallException e) {
        settle(old.getName(), Optional.empty());
        forgetSecrets(old.getName());
        return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR)
            .setCompensation(detail.setResult(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
                .setDetail("half-replaced: recreating the old resource failed: " + e.getMessage()))
            .build();
      }
    }
    settle(old.getName(), Optional.empty());
    forgetSecrets(old.getName());
    return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR)
        .setDriverError("half-replaced: " + outcome.getDriverError() + "; the outcome keeps the old configuration")
        .build();
  }

  private ActionOutcome driverFailed(PlanAction action, ActionOutcome.Builder outcome, DriverCallException e,
      Optional<ResourceState> prior) {
    outcome.setDriverError(e.getMessage());
    String name = action.getResource().getName();
    if (e.rolledBack()) {
      return outcome.setStatus(ActionStatus.ACTION_STATUS_COMPENSATED)
          .setCompensation(CompensationDetail.newBuilder()
              .setCompensator(Compensator.COMPENSATOR_PLUGIN_SELF)
              .setCall(action.getKind() == io.compensa.proto.v1.ActionKind.ACTION_KIND_DELETE ? "Delete" : callName(action))
              .setResult(ActionStatus.ACTION_STATUS_COMPENSATED)
              .setDetail("the plugin rolled back its own partial work: " + e.getMessage()))
          .build();
    }
    if (action.getKind() == io.compensa.proto.v1.ActionKind.ACTION_KIND_DELETE) {
      return outcome.setStatus(ActionStatus.ACTION_STATUS_DELETE_FAILED).build();
    }
    if (e.partialOutput().isPresent()) {
      ResourceState base = prior.orElseGet(() -> entry(action, ResourceOutput.getDefaultInstance()));
      ResourceState tainted = base.toBuilder().setOutput(e.partialOutput().get()).setTainted(true).build();
      settle(name, Optional.of(tainted));
      outcome.setDriverOutput(e.partialOutput().get());
    }
    return outcome.setStatus(ActionStatus.ACTION_STATUS_ERROR).build();
  }

  private ActionOutcome afterDriver(PlanAction action, ActionOutcome.Builder outcome, Optional<ResourceState> prior,
      Optional<ResourceState> applied, ResourceOutput driverOutput) {
    String name = action.getResource().getName();
    Optional<String> hookError = validateOutput(action, applied.map(ResourceState::getOutput));
    if (hookError.isEmpty() && applied.isPresent()) {
      try {
        ResourceOutput routed = secrets.route(name, driverOutput);
        applied = Optional.of(applied.get().toBuilder().setOutput(routed).build());
        driverOutput = routed;
        outcome.setDriverOutput(routed);
      } catch (SecretStoreException e) {
        hookError = Optional.of("secrets routing: " + e.getMessage());
        // the values must not reach the state even when their store failed
        ResourceOutput stripped = withoutSecrets(driverOutput);
        applied = Optional.of(applied.get().toBuilder().setOutput(stripped).build());
        driverOutput = stripped;
        outcome.setDriverOutput(stripped);
      }
    }
    state.set(name, applied);
    if (hookError.isEmpty()) {
      hookError = runHooks(action, applied.map(ResourceState::getOutput));
    }
    if (hookError.isEmpty()) {
      if (applied.isEmpty()) {
        forgetSecrets(name);
      }
      return outcome.setStatus(ActionStatus.ACTION_STATUS_SUCCESS).build();
    }
    outcome.setHookError(hookError.get());
    calls.journal().hookFailed(action.getId(), hookError.get());
    Compensation undo = compensator.undo(action, prior, applied, driverOutput, hookError.get());
    settle(name, undo.stateAfter());
    if (undo.stateAfter().isEmpty()) {
      forgetSecrets(name);
    }
    return outcome.setStatus(undo.status()).setCompensation(undo.detail()).build();
  }

  private void forgetSecrets(String name) {
    try {
      secrets.forget(name);
    } catch (SecretStoreException e) {
      problems.add("the secrets of deleted resource \"" + name + "\" could not be removed: " + e.getMessage());
    }
  }

  private static Optional<String> validateOutput(PlanAction action, Optional<ResourceOutput> output) {
    if (output.isPresent() && output.get().getProviderId().isEmpty()) {
      return Optional.of("output validation: the driver returned no provider id for " + action.getResource().getName());
    }
    if (output.isPresent()) {
      for (String key : output.get().getSensitiveKeysList()) {
        if (!output.get().getOutputs().containsFields(key)) {
          return Optional.of("output validation: sensitive key \"" + key + "\" is not among the outputs");
        }
      }
    }
    return Optional.empty();
  }

  /** State persistence, the embedder's hooks, the operator's command hooks, in that order. */
  private Optional<String> runHooks(PlanAction action, Optional<ResourceOutput> output) {
    try {
      state.persist(action.getResource().getName());
    } catch (StateStoreException e) {
      return Optional.of("state persistence: " + e.getMessage());
    }
    HookContext context = new HookContext(action, output.map(ActionExecutor::withoutSecrets));
    for (PostDriverHook hook : options.hooks()) {
      try {
        hook.afterDriver(context);
      } catch (Exception e) {
        return Optional.of("hook: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    for (io.compensa.proto.v1.CommandHook declared : action.getCommandHooksList()) {
      try {
        CommandHookRunner.of(declared).run(context, options.hookDirectory());
      } catch (Exception e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Sets the record for {@code name} and writes it; a failed write is reported, not fatal. */
  void settle(String name, Optional<ResourceState> record) {
    state.set(name, record);
    try {
      state.persist(name);
    } catch (StateStoreException e) {
      problems.add("the state could not be written after resource \"" + name + "\" settled: " + e.getMessage());
    }
  }

  private void deleteCall(PlanAction action, ResourceState prior, String call) throws DriverCallException {
    calls.call(action.getId(), call, () -> router.endpoint(action)
        .delete(DeleteRequest.newBuilder().setActionId(action.getId()).setState(prior).build()));
  }

  static ResourceState entry(PlanAction action, ResourceOutput output) {
    return ResourceState.newBuilder()
        .setName(action.getResource().getName())
        .setType(action.getResource().getType())
        .setConfig(action.getResource().getConfig())
        .addAllDependsOn(action.getResource().getDependsOnList())
        .setOutput(output)
        .build();
  }

  static ResourceOutput withoutSecrets(ResourceOutput output) {
    ResourceOutput.Builder clean = output.toBuilder();
    for (String key : output.getSensitiveKeysList()) {
      clean.getOutputsBuilder().removeFields(key);
    }
    return clean.build();
  }

  private static String callName(PlanAction action) {
    switch (action.getKind()) {
      case ACTION_KIND_UPDATE:
        return "Update";
      case ACTION_KIND_DELETE:
        return "Delete";
      default:
        return "Create";
    }
  }

  static ActionStatus failureStatus(PlanAction action) {
    return action.getKind() == io.compensa.proto.v1.ActionKind.ACTION_KIND_DELETE
        ? ActionStatus.ACTION_STATUS_DELETE_FAILED
        : ActionStatus.ACTION_STATUS_ERROR;
  }
}
