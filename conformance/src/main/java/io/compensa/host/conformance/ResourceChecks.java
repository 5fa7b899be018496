package io.compensa.host.conformance;

import static io.compensa.host.conformance.CheckFailed.expect;

import com.google.protobuf.Struct;
import io.compensa.host.client.PluginClient;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one resource type, made through the host's client: CRUD, idempotent Create and
 * Delete, each declared HOST_INVERSE undoing its action, and Compensate for PLUGIN kinds.
 *
 * <p>Each check makes its own resource from a sample config and deletes it afterwards. Where the
 * plugin serves FinalizeApply, every step ends with one (as each step would be an apply of its
 * own), so plugins that batch their writes there are checked against what they flushed. Not
 * thread-safe: one per type, run by one thread.
 */
final class ResourceChecks {
  private static final String REASON = "conformance: a post-driver hook failed after this action";

  /** One step the suite runs; throws {@link CheckFailed} with what it saw. */
  interface Step {
    String run() throws CheckFailed;
  }

  private final PluginClient client;
  private final ResourceType type;
  private final List<Struct> samples;
  private final boolean finalizes;
  private final String runId;
  private final List<ResourceState> leftovers = new ArrayList<>();
  private int actions;

  ResourceChecks(
      PluginClient client,
      ResourceType type,
      List<Struct> samples,
      boolean finalizes,
      String runId) {
    this.client = client;
    this.type = type;
    this.samples = samples;
    this.finalizes = finalizes;
    this.runId = runId;
  }

  /** Runs every check that applies to the type, in order. */
  void run(CheckLog log) {
    String name = type.getName();
    if (samples.isEmpty()) {
      log.fail(
          "sample-configs",
          name,
          "the manifest has no sample config for this type and none"
              + " was given: add one (ResourceType.sampleConfig in the Java SDK) or pass a file");
      return;
    }
    log.pass(
        "sample-configs",
        name,
        samples.size()
            + " sample config(s)"
            + (samples.size() == 1 && declares(Operation.OPERATION_UPDATE)
                ? "; a second one would let Update be checked"
                : ""));
    check(log, "crud", this::crud);
    if (declares(Operation.OPERATION_READ)) {
      check(log, "read-without-provider-id", this::readWithoutProviderId);
    }
    if (declares(Operation.OPERATION_DIFF)) {
      check(log, "diff", this::diff);
    }
    check(log, "idempotent-create", this::idempotentCreate);
    if (declares(Operation.OPERATION_DELETE)) {
      check(log, "idempotent-delete", this::idempotentDelete);
    }
    var policies = type.getCompensation();
    if (policies.getCreate() == CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      check(log, "inverse-create", this::inverseCreate);
    }
    if (policies.getUpdate() == CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      checkUpdate(log, "inverse-update", this::inverseUpdate);
    }
    if (policies.getDelete() == CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      check(log, "inverse-delete", this::inverseDelete);
    }
    if (policies.getCreate() == CompensationPolicy.COMPENSATION_POLICY_PLUGIN) {
      check(log, "compensate-create", this::compensateCreate);
    }
    if (policies.getUpdate() == CompensationPolicy.COMPENSATION_POLICY_PLUGIN) {
      checkUpdate(log, "compensate-update", this::compensateUpdate);
    }
    if (policies.getDelete() == CompensationPolicy.COMPENSATION_POLICY_PLUGIN) {
      check(log, "compensate-delete", this::compensateDelete);
    }
  }

  private void checkUpdate(CheckLog log, String check, Step step) {
    if (samples.size() < 2) {
      log.skip(
          check,
          type.getName(),
          "needs a second sample config to update to (in the" + " manifest, or --sample-configs)");
      return;
    }
    check(log, check, step);
  }

  private void check(CheckLog log, String check, Step step) {
    try {
      log.pass(check, type.getName(), step.run());
    } catch (CheckFailed failed) {
      log.fail(check, type.getName(), failed.getMessage());
    } catch (RuntimeException e) {
      log.fail(check, type.getName(), "a call failed: " + e.getMessage());
    } finally {
      cleanUp();
    }
  }

  private String crud() throws CheckFailed {
    ResourceSpec spec = spec("crud", samples.get(0));
    ResourceState created = create(spec, nextAction());
    expect(!created.getOutput().getProviderId().isEmpty(), "Create returned no provider id");
    expect(read(created).getExists(), "Read does not find what Create just made");
    ResourceState current = created;
    String updated = "";
    if (samples.size() > 1 && declares(Operation.OPERATION_UPDATE)) {
      current = update(current, samples.get(1));
      expect(read(current).getExists(), "Read does not find the resource after Update");
      updated = ", Update";
    }
    delete(current, nextAction());
    expect(!read(current).getExists(), "Read still finds the resource after Delete");
    return "Create, Read"
        + updated
        + ", Delete, Read absent (provider id "
        + created.getOutput().getProviderId()
        + ")";
  }

  /**
   * Read with an empty provider id, as {@code recover} asks after a host crash between a Create and
   * its answer (the action id and the config are all it has), must answer: found, with the provider
   * id Create returned; or not found, and then the host repeats the Create with the same action id,
   * which must return that same resource (checked here too).
   */
  private String readWithoutProviderId() throws CheckFailed {
    ResourceSpec spec = spec("read-no-id", samples.get(0));
    String action = nextAction();
    ResourceState created = create(spec, action);
    ReadResponse found;
    try {
      found = client.read(ReadRequest.newBuilder().setActionId(action).setResource(spec).build());
    } catch (RuntimeException e) {
      throw new CheckFailed(
          "Read with an empty provider id (as recover asks after a crash before Create answered:"
              + " the action id and the config) failed: "
              + e.getMessage()
              + "; answer it, found or not found");
    }
    if (found.getExists()) {
      expect(
          found.getOutput().getProviderId().equals(created.getOutput().getProviderId()),
          "Read with an empty provider id found provider id \""
              + found.getOutput().getProviderId()
              + "\", but Create made \""
              + created.getOutput().getProviderId()
              + "\"");
      return "found by the action id and config alone (provider id "
          + found.getOutput().getProviderId()
          + ")";
    }
    ResourceState again = create(spec, action);
    expect(
        again.getOutput().getProviderId().equals(created.getOutput().getProviderId()),
        "Read with an empty provider id found nothing, so recover repeats the Create with the same"
            + " action id; that Create made \""
            + again.getOutput().getProviderId()
            + "\" instead of returning \""
            + created.getOutput().getProviderId()
            + "\"");
    return "not found without a provider id; the repeated Create returned the same resource ("
        + created.getOutput().getProviderId()
        + ")";
  }

  /**
   * Diff of a resource against its own config says CHANGE_NONE; against the second sample config,
   * UPDATE or REPLACE naming the keys that differ, the replace keys among them.
   */
  private String diff() throws CheckFailed {
    ResourceSpec spec = spec("diff", samples.get(0));
    ResourceState created = create(spec, nextAction());
    DiffResponse same =
        client.diff(DiffRequest.newBuilder().setDesired(spec).setPrior(created).build());
    expect(
        same.getChange() == DiffResponse.Change.CHANGE_NONE,
        "Diff of a resource against the config it was created with answered "
            + same.getChange()
            + "; expected CHANGE_NONE");
    if (samples.size() < 2) {
      return "CHANGE_NONE against its own config (a second sample config would check a change)";
    }
    ResourceSpec other = spec.toBuilder().setConfig(samples.get(1)).build();
    DiffResponse changed =
        client.diff(DiffRequest.newBuilder().setDesired(other).setPrior(created).build());
    expect(
        changed.getChange() == DiffResponse.Change.CHANGE_UPDATE
            || changed.getChange() == DiffResponse.Change.CHANGE_REPLACE,
        "Diff against the second sample config answered "
            + changed.getChange()
            + "; expected CHANGE_UPDATE or CHANGE_REPLACE");
    expect(
        changed.getChangedKeysCount() > 0,
        "Diff answered " + changed.getChange() + " but named no changed key");
    expect(
        changed.getChangedKeysList().containsAll(changed.getReplaceKeysList()),
        "Diff's replace keys "
            + changed.getReplaceKeysList()
            + " are not all among its changed keys "
            + changed.getChangedKeysList());
    expect(
        changed.getChange() != DiffResponse.Change.CHANGE_REPLACE
            || changed.getReplaceKeysCount() > 0,
        "Diff answered CHANGE_REPLACE but named no replace key");
    return "CHANGE_NONE against its own config, "
        + changed.getChange()
        + " "
        + changed.getChangedKeysList()
        + " against the second";
  }

  private String idempotentCreate() throws CheckFailed {
    ResourceSpec spec = spec("idem-create", samples.get(0));
    String action = nextAction();
    ResourceState first = create(spec, action);
    ResourceState second;
    try {
      second = create(spec, action);
    } catch (RuntimeException e) {
      throw new CheckFailed(
          "a second Create with the same action id failed instead of returning the resource: "
              + e.getMessage());
    }
    expect(
        first.getOutput().getProviderId().equals(second.getOutput().getProviderId()),
        "a second Create with the same action id made another resource: provider id "
            + first.getOutput().getProviderId()
            + " then "
            + second.getOutput().getProviderId());
    expect(read(first).getExists(), "Read does not find the resource Create made");
    return "the same action id twice returned provider id " + first.getOutput().getProviderId();
  }

  private String idempotentDelete() throws CheckFailed {
    ResourceState created = create(spec("idem-delete", samples.get(0)), nextAction());
    String action = nextAction();
    delete(created, action);
    try {
      delete(created, action);
    } catch (RuntimeException e) {
      throw new CheckFailed(
          "deleting what is already gone failed, where it must succeed: " + e.getMessage());
    }
    expect(!read(created).getExists(), "Read still finds the resource after Delete");
    return "deleting twice succeeded and Read finds nothing";
  }

  private String inverseCreate() throws CheckFailed {
    ResourceState created = create(spec("inv-create", samples.get(0)), nextAction());
    delete(created, nextAction());
    expect(
        !read(created).getExists(),
        "the inverse of Create (Delete) did not undo it: Read still"
            + " finds provider id "
            + created.getOutput().getProviderId());
    return "Delete undid Create: Read finds nothing";
  }

  private String inverseUpdate() throws CheckFailed {
    ResourceState created = create(spec("inv-update", samples.get(0)), nextAction());
    ReadResponse before = read(created);
    ResourceState changed = update(created, samples.get(1));
    ResourceState restored = update(changed, samples.get(0));
    ReadResponse after = read(restored);
    expect(after.getExists(), "Read does not find the resource after the Update back");
    expectSame(before, after, "the Update back to the prior config");
    return "the Update back restored what Read observed before";
  }

  private String inverseDelete() throws CheckFailed {
    ResourceState created = create(spec("inv-delete", samples.get(0)), nextAction());
    delete(created, nextAction());
    ResourceSpec again =
        ResourceSpec.newBuilder()
            .setName(created.getName())
            .setType(created.getType())
            .setConfig(created.getConfig())
            .build();
    ResourceState recreated = create(again, nextAction());
    expect(
        read(recreated).getExists(),
        "the inverse of Delete (Create from the prior config) did"
            + " not bring the resource back: Read finds nothing");
    return "Create from the prior config recreated it (provider id "
        + recreated.getOutput().getProviderId()
        + ")";
  }

  private String compensateCreate() throws CheckFailed {
    ResourceSpec spec = spec("comp-create", samples.get(0));
    String action = nextAction();
    ResourceState created = create(spec, action, false);
    PlanAction planned =
        PlanAction.newBuilder()
            .setId(action)
            .setKind(ActionKind.ACTION_KIND_CREATE)
            .setResource(spec)
            .build();
    compensateTwice(planned, created.getOutput(), ResourceState.getDefaultInstance());
    expect(
        !read(created).getExists(),
        "Compensate of a Create answered COMPENSATED but Read still"
            + " finds provider id "
            + created.getOutput().getProviderId());
    return "COMPENSATED twice, and Read finds nothing";
  }

  private String compensateUpdate() throws CheckFailed {
    ResourceState created = create(spec("comp-update", samples.get(0)), nextAction());
    ReadResponse before = read(created);
    String action = nextAction();
    ResourceSpec desired =
        ResourceSpec.newBuilder()
            .setName(created.getName())
            .setType(created.getType())
            .setConfig(samples.get(1))
            .build();
    ResourceOutput output =
        client
            .update(
                UpdateRequest.newBuilder()
                    .setActionId(action)
                    .setResource(desired)
                    .setPrior(created)
                    .build())
            .getOutput();
    remember(withOutput(created, samples.get(1), output));
    PlanAction planned =
        PlanAction.newBuilder()
            .setId(action)
            .setKind(ActionKind.ACTION_KIND_UPDATE)
            .setResource(desired)
            .setCurrent(created)
            .build();
    compensateTwice(planned, output, created);
    ReadResponse after = read(created);
    expect(after.getExists(), "Read does not find the resource after compensating its Update");
    expectSame(before, after, "compensating the Update");
    return "COMPENSATED twice, and Read observes the config from before the Update";
  }

  private String compensateDelete() throws CheckFailed {
    ResourceState created = create(spec("comp-delete", samples.get(0)), nextAction());
    String action = nextAction();
    client.delete(DeleteRequest.newBuilder().setActionId(action).setState(created).build());
    PlanAction planned =
        PlanAction.newBuilder()
            .setId(action)
            .setKind(ActionKind.ACTION_KIND_DELETE)
            .setCurrent(created)
            .setResource(
                ResourceSpec.newBuilder()
                    .setName(created.getName())
                    .setType(created.getType())
                    .setConfig(created.getConfig()))
            .build();
    CompensateResponse answer =
        compensateTwice(planned, ResourceOutput.getDefaultInstance(), created);
    ResourceState now =
        answer.hasRemaining()
            ? created.toBuilder().setOutput(answer.getRemaining()).build()
            : created;
    remember(now);
    expect(
        read(now).getExists(),
        "Compensate of a Delete answered COMPENSATED but Read does not" + " find the resource");
    return "COMPENSATED twice, and Read finds the resource again";
  }

  private CompensateResponse compensateTwice(
      PlanAction action, ResourceOutput driverOutput, ResourceState prior) throws CheckFailed {
    CompensateRequest request =
        CompensateRequest.newBuilder()
            .setAction(action)
            .setDriverOutput(driverOutput)
            .setPriorState(prior)
            .setReason(REASON)
            .build();
    CompensateResponse first = client.compensate(request);
    expect(
        first.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATED,
        "Compensate answered " + first.getStatus() + " (" + first.getDetail() + ")");
    CompensateResponse second;
    try {
      second = client.compensate(request);
    } catch (RuntimeException e) {
      throw new CheckFailed("a second Compensate of the same action failed: " + e.getMessage());
    }
    expect(
        second.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATED,
        "a second Compensate of the same action answered "
            + second.getStatus()
            + " ("
            + second.getDetail()
            + "): Compensate must be idempotent");
    settle(
        action.getId(),
        action.getResource().getName(),
        action.getKind(),
        ActionStatus.ACTION_STATUS_COMPENSATED);
    return second;
  }

  private void expectSame(ReadResponse before, ReadResponse after, String what) throws CheckFailed {
    boolean observed = before.hasObservedConfig() || after.hasObservedConfig();
    if (observed) {
      expect(
          before.getObservedConfig().equals(after.getObservedConfig()),
          what
              + " did not restore the observed config: before "
              + before.getObservedConfig()
              + ", after "
              + after.getObservedConfig());
    } else {
      expect(
          before.getOutput().getOutputs().equals(after.getOutput().getOutputs()),
          what
              + " did not restore the outputs: before "
              + before.getOutput().getOutputs()
              + ", after "
              + after.getOutput().getOutputs());
    }
  }

  private ResourceState create(ResourceSpec spec, String action) {
    return create(spec, action, true);
  }

  private ResourceState create(ResourceSpec spec, String action, boolean settle) {
    ResourceOutput output =
        client
            .create(CreateRequest.newBuilder().setActionId(action).setResource(spec).build())
            .getOutput();
    ResourceState state =
        ResourceState.newBuilder()
            .setName(spec.getName())
            .setType(spec.getType())
            .setConfig(spec.getConfig())
            .setOutput(output)
            .build();
    remember(state);
    if (settle) {
      settle(
          action,
          spec.getName(),
          ActionKind.ACTION_KIND_CREATE,
          ActionStatus.ACTION_STATUS_SUCCESS);
    }
    return state;
  }

  private ResourceState update(ResourceState prior, Struct config) {
    String action = nextAction();
    ResourceSpec desired =
        ResourceSpec.newBuilder()
            .setName(prior.getName())
            .setType(prior.getType())
            .setConfig(config)
            .build();
    ResourceOutput output =
        client
            .update(
                UpdateRequest.newBuilder()
                    .setActionId(action)
                    .setResource(desired)
                    .setPrior(prior)
                    .build())
            .getOutput();
    ResourceState state = withOutput(prior, config, output);
    remember(state);
    settle(
        action, prior.getName(), ActionKind.ACTION_KIND_UPDATE, ActionStatus.ACTION_STATUS_SUCCESS);
    return state;
  }

  private void delete(ResourceState state, String action) {
    client.delete(DeleteRequest.newBuilder().setActionId(action).setState(state).build());
    settle(
        action, state.getName(), ActionKind.ACTION_KIND_DELETE, ActionStatus.ACTION_STATUS_SUCCESS);
  }

  private ReadResponse read(ResourceState state) {
    return client.read(
        ReadRequest.newBuilder()
            .setActionId(nextAction())
            .setResource(
                ResourceSpec.newBuilder()
                    .setName(state.getName())
                    .setType(state.getType())
                    .setConfig(state.getConfig()))
            .setProviderId(state.getOutput().getProviderId())
            .build());
  }

  /**
   * Ends a step as an apply would: FinalizeApply with its one outcome, when the plugin serves it.
   */
  private void settle(String action, String resource, ActionKind kind, ActionStatus status) {
    if (!finalizes) {
      return;
    }
    client.finalizeApply(
        FinalizeApplyRequest.newBuilder()
            .setPlanId(runId + "-" + action)
            .addOutcomes(
                ActionOutcome.newBuilder()
                    .setActionId(action)
                    .setResourceName(resource)
                    .setKind(kind)
                    .setStatus(status))
            .build());
  }

  /** Deletes, best effort, whatever this check made, so the next check starts clean. */
  private void cleanUp() {
    for (int i = leftovers.size() - 1; i >= 0; i--) {
      ResourceState state = leftovers.get(i);
      try {
        if (read(state).getExists()) {
          delete(state, nextAction());
        }
      } catch (RuntimeException ignored) {
        // the check already reported what went wrong; cleaning up is a courtesy
      }
    }
    leftovers.clear();
  }

  private void remember(ResourceState state) {
    leftovers.add(state);
  }

  private static ResourceState withOutput(
      ResourceState prior, Struct config, ResourceOutput output) {
    return prior.toBuilder().setConfig(config).setOutput(output).build();
  }

  private ResourceSpec spec(String check, Struct config) {
    return ResourceSpec.newBuilder()
        .setName("conformance-" + check)
        .setType(type.getName())
        .setConfig(config)
        .build();
  }

  private boolean declares(Operation operation) {
    return type.getOperationsList().contains(operation);
  }

  private String nextAction() {
    return runId + "-" + type.getName() + "-" + (++actions);
  }
}
