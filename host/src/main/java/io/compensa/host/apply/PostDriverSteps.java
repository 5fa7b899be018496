package io.compensa.host.apply;

import io.compensa.host.compensate.ActionCompensator;
import io.compensa.host.compensate.Compensation;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.secrets.SensitiveOutputs;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.util.Optional;

/**
 * What the host does after a driver call succeeded, in this order: output validation, secrets
 * routing, state persistence, the embedder's hooks, the operator's command hooks. The first step
 * that fails is journaled and the action is compensated by its type's policy; either way the record
 * is settled to match the world (docs/compensation.md). Thread-safe.
 */
final class PostDriverSteps {
  private final ResourceRecords records;
  private final ActionCompensator compensator;
  private final ApplyOptions options;

  PostDriverSteps(ResourceRecords records, ActionCompensator compensator, ApplyOptions options) {
    this.records = records;
    this.compensator = compensator;
    this.options = options;
  }

  /**
   * Runs the steps after {@code target}'s driver call and ends the action.
   *
   * @param prior the record before the action; empty for a create
   * @param applied the record the driver call leaves; empty after a delete
   * @param driverOutput what the driver returned
   */
  ActionOutcome run(
      ResolvedAction target,
      ActionOutcome.Builder outcome,
      Optional<ResourceState> prior,
      Optional<ResourceState> applied,
      ResourceOutput driverOutput) {
    String name = target.name();
    Optional<String> failure = validateOutput(name, applied.map(ResourceState::getOutput));
    if (failure.isEmpty() && applied.isPresent()) {
      try {
        ResourceOutput routed = records.routeSecrets(target.secretScope(), driverOutput);
        applied = Optional.of(applied.get().toBuilder().setOutput(routed).build());
        driverOutput = routed;
        outcome.setDriverOutput(routed);
      } catch (SecretStoreException e) {
        failure = Optional.of("secrets routing: " + e.getMessage());
        // the values must not reach the state even when their store failed, and the keys go with
        // them: a record naming a sensitive key without its value is refused by the plugin, so the
        // compensating Delete, FinalizeApply and every later plan or delete would fail
        ResourceOutput stripped = SensitiveOutputs.withoutSensitive(driverOutput);
        applied = Optional.of(applied.get().toBuilder().setOutput(stripped).build());
        driverOutput = stripped;
        outcome.setDriverOutput(stripped);
      }
    }
    records.set(name, applied);
    if (failure.isEmpty()) {
      failure = runHooks(target, applied.map(ResourceState::getOutput));
    }
    if (failure.isEmpty()) {
      if (applied.isEmpty()) {
        records.forgetSecrets(name);
      }
      return outcome.setStatus(ActionStatus.ACTION_STATUS_SUCCESS).build();
    }
    outcome.setHookError(failure.get());
    records.journalHookFailure(target.id(), failure.get());
    CrashPoints.reach(CrashPoints.HOOK_FAILURE_JOURNALED, target.kind().name());
    String compensating = java.time.Instant.now().toString();
    Compensation undo = compensator.undo(target, prior, applied, driverOutput, failure.get());
    String compensated = java.time.Instant.now().toString();
    records.settle(name, undo.stateAfter());
    CrashPoints.reach(CrashPoints.COMPENSATED, target.kind().name());
    if (undo.stateAfter().isEmpty()) {
      records.forgetSecrets(name);
    } else if (target.defersDelete() && undo.compensated()) {
      // the new object is gone and the old one is the record again: the new one's values go
      records.forgetSecrets(target.secretScope());
    }
    return outcome
        .setStatus(undo.status())
        .setCompensation(
            undo.detail().toBuilder().setStartedAt(compensating).setFinishedAt(compensated))
        .build();
  }

  /**
   * Runs the steps for a forward call whose answer came back another way (Read after a crash, or
   * the journal in recovery). The journal never holds sensitive values: those the secrets store
   * kept come back as their references ({@link HeldSecrets}); the others cannot be recovered, and
   * the sensitive keys that named them go too.
   */
  ActionOutcome resume(
      ResolvedAction target,
      ActionOutcome.Builder outcome,
      Optional<ResourceState> prior,
      ResourceOutput output) {
    if (target.kind() == ActionKind.ACTION_KIND_DELETE) {
      return run(target, outcome, prior, Optional.empty(), ResourceOutput.getDefaultInstance());
    }
    ResourceOutput.Builder kept = output.toBuilder().clearSensitiveKeys();
    for (String key : output.getSensitiveKeysList()) {
      if (output.getOutputs().containsFields(key)) {
        kept.addSensitiveKeys(key);
      }
    }
    ResourceOutput clean = kept.build();
    return run(
        target,
        outcome.setDriverOutput(clean),
        prior,
        Optional.of(target.applied(clean, prior)),
        clean);
  }

  /**
   * The first rule {@code output}, a driver's answer for resource {@code name}, breaks; empty when
   * it breaks none. Package-private for its fuzz target (reliability/).
   */
  static Optional<String> validateOutput(String name, Optional<ResourceOutput> output) {
    if (output.isPresent() && output.get().getProviderId().isEmpty()) {
      return Optional.of("output validation: the driver returned no provider id for " + name);
    }
    if (output.isPresent()) {
      for (String key : output.get().getSensitiveKeysList()) {
        if (key.contains("/")) {
          // a secret reference (secret:<resource>/<key>) ends at the key's last slash
          return Optional.of(
              "output validation: sensitive key \""
                  + key
                  + "\" contains '/', which a secret"
                  + " reference cannot name: the plugin must name sensitive outputs without '/'");
        }
        if (!output.get().getOutputs().containsFields(key)) {
          return Optional.of(
              "output validation: sensitive key \"" + key + "\" is not among the outputs");
        }
      }
    }
    return Optional.empty();
  }

  /** State persistence, the embedder's hooks, the operator's command hooks, in that order. */
  private Optional<String> runHooks(ResolvedAction target, Optional<ResourceOutput> output) {
    try {
      records.persist(target.name());
    } catch (StateStoreException e) {
      return Optional.of("state persistence: " + e.getMessage());
    }
    CrashPoints.reach(CrashPoints.RECORD_PERSISTED, target.kind().name());
    HookContext context =
        new HookContext(target.action(), output.map(SensitiveOutputs::withoutValues));
    for (PostDriverHook hook : options.hooks()) {
      try {
        hook.afterDriver(context);
      } catch (Exception e) {
        return Optional.of("hook: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    for (CommandHook declared : target.action().getCommandHooksList()) {
      try {
        CommandHookRunner.of(declared)
            .run(
                context,
                options.hookDirectory(),
                (command, process, timeout) ->
                    records.journalHookStarted(target.id(), command, process, timeout));
      } catch (Exception e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }
}
