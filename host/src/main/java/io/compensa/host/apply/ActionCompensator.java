package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.UpdateRequest;
import java.util.Optional;

/**
 * Undoes an action whose driver call took effect, by the compensation policy its resource type
 * declares for that action kind (docs/compensation.md): NONE, HOST_INVERSE (the host's inverse driver call) or
 * PLUGIN (CompensableService.Compensate). Thread-safe.
 */
final class ActionCompensator {
  private static final String NOT_COMPENSABLE = "not compensable";

  private final PluginRouter router;
  private final DriverCalls calls;

  ActionCompensator(PluginRouter router, DriverCalls calls) {
    this.router = router;
    this.calls = calls;
  }

  /**
   * Undoes {@code action}.
   *
   * @param prior the record before the action; empty for a create
   * @param applied the record after the action; empty after a delete
   * @param driverOutput what the driver returned
   * @param reason why the action is undone
   */
  Compensation undo(PlanAction action, Optional<ResourceState> prior, Optional<ResourceState> applied,
      ResourceOutput driverOutput, String reason) {
    ResourceType type = router.type(action.getResource().getType());
    switch (action.getKind()) {
      case ACTION_KIND_CREATE:
        return undoCreate(action, type.getCompensation().getCreate(), applied.orElseThrow(), driverOutput, reason);
      case ACTION_KIND_UPDATE:
        return undoUpdate(action, type.getCompensation().getUpdate(), prior.orElseThrow(), applied.orElseThrow(),
            driverOutput, reason);
      case ACTION_KIND_DELETE:
        return undoDelete(action, type.getCompensation().getDelete(), prior.orElseThrow(), reason);
      case ACTION_KIND_REPLACE:
        return undoReplace(action, type, prior.orElseThrow(), applied.orElseThrow(), driverOutput, reason);
      default:
        throw new IllegalArgumentException("cannot compensate an action of kind " + action.getKind());
    }
  }

  private Compensation undoCreate(PlanAction action, CompensationPolicy policy, ResourceState created,
      ResourceOutput driverOutput, String reason) {
    switch (policy) {
      case COMPENSATION_POLICY_HOST_INVERSE: {
        CompensationDetail.Builder detail = hostDetail("Delete");
        try {
          inverseDelete(action, created);
          return Compensation.compensated(detail.setDetail("deleted the created resource " + created.getOutput().getProviderId()),
              Optional.empty());
        } catch (DriverCallException e) {
          return Compensation.failed(detail.setDetail("the inverse Delete failed: " + e.getMessage()
              + "; the created resource still exists"), Optional.of(created));
        }
      }
      case COMPENSATION_POLICY_PLUGIN:
        return pluginUndo(action, driverOutput, Optional.empty(), reason, Optional.empty(), Optional.of(created));
      default:
        return notCompensable(Optional.of(created));
    }
  }

  private Compensation undoUpdate(PlanAction action, CompensationPolicy policy, ResourceState prior,
      ResourceState updated, ResourceOutput driverOutput, String reason) {
    switch (policy) {
      case COMPENSATION_POLICY_HOST_INVERSE: {
        CompensationDetail.Builder detail = hostDetail("Update");
        try {
          ResourceOutput back = calls.call(action.getId(), "Update (compensation)", () -> router.endpoint(action)
              .update(UpdateRequest.newBuilder()
                  .setActionId(action.getId() + "/compensate")
                  .setResource(spec(prior))
                  .setPrior(updated)
                  .build()))
              .getOutput();
          return Compensation.compensated(detail.setDetail("updated back to the prior configuration"),
              Optional.of(prior.toBuilder().setOutput(back.getProviderId().isEmpty() ? prior.getOutput() : back).build()));
        } catch (DriverCallException e) {
          return Compensation.failed(detail.setDetail("the Update back to the prior configuration failed: " + e.getMessage()
              + "; the resource keeps the new configuration"), Optional.of(updated));
        }
      }
      case COMPENSATION_POLICY_PLUGIN:
        return pluginUndo(action, driverOutput, Optional.of(prior), reason, Optional.of(prior), Optional.of(updated));
      default:
        return notCompensable(Optional.of(updated));
    }
  }

  private Compensation undoDelete(PlanAction action, CompensationPolicy policy, ResourceState prior, String reason) {
    switch (policy) {
      case COMPENSATION_POLICY_HOST_INVERSE: {
        CompensationDetail.Builder detail = hostDetail("Create");
        try {
          ResourceState recreated = recreate(action, prior);
          return Compensation.compensated(detail.setDetail("recreated from the prior configuration as "
              + recreated.getOutput().getProviderId()), Optional.of(recreated));
        } catch (DriverCallException e) {
          return Compensation.failed(detail.setDetail("recreating the deleted resource failed: " + e.getMessage()
              + "; it is gone, and the outcome keeps its prior configuration"), Optional.empty());
        }
      }
      case COMPENSATION_POLICY_PLUGIN:
        return pluginUndo(action, ResourceOutput.getDefaultInstance(), Optional.of(prior), reason,
            Optional.of(prior), Optional.empty());
      default:
        return notCompensable(Optional.empty());
    }
  }

  private Compensation undoReplace(PlanAction action, ResourceType type, ResourceState old, ResourceState created,
      ResourceOutput driverOutput, String reason) {
    CompensationPolicy create = type.getCompensation().getCreate();
    CompensationPolicy delete = type.getCompensation().getDelete();
    if (create == CompensationPolicy.COMPENSATION_POLICY_PLUGIN || delete == CompensationPolicy.COMPENSATION_POLICY_PLUGIN) {
      Compensation undone = pluginUndo(action, driverOutput, Optional.of(old), reason, Optional.of(old), Optional.of(created));
      if (undone.status() == ActionStatus.ACTION_STATUS_COMPENSATED) {
        return undone;
      }
      // docs/compensation.md: a replace whose compensation failed names which half remains
      String remains = undone.stateAfter()
          .map(s -> s.getOutput().getProviderId().equals(created.getOutput().getProviderId())
              ? "the new resource " + created.getOutput().getProviderId() + " remains and the old one is deleted"
              : "resource " + s.getOutput().getProviderId() + " remains")
          .orElse("neither half remains, and the outcome keeps the old configuration");
      Optional<ResourceState> unflagged = undone.stateAfter().map(s -> s.toBuilder().setNeedsAttention(false)
          .clearAttentionReason().build());
      return Compensation.failed(undone.detail().toBuilder().setDetail(undone.detail().getDetail() + "; " + remains),
          unflagged);
    }
    if (create != CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE
        || delete != CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      return Compensation.failed(CompensationDetail.newBuilder()
          .setDetail(NOT_COMPENSABLE + ": the new resource " + created.getOutput().getProviderId()
              + " remains and the old one is deleted"), Optional.of(created));
    }
    CompensationDetail.Builder detail = hostDetail("Delete, Create");
    try {
      inverseDelete(action, created);
    } catch (DriverCallException e) {
      return Compensation.failed(detail.setDetail("deleting the new half failed: " + e.getMessage()
          + "; the new resource " + created.getOutput().getProviderId() + " remains and the old one is deleted"),
          Optional.of(created));
    }
    try {
      ResourceState recreated = recreate(action, old);
      return Compensation.compensated(detail.setDetail("deleted the new resource and recreated the old one as "
          + recreated.getOutput().getProviderId()), Optional.of(recreated));
    } catch (DriverCallException e) {
      return Compensation.failed(detail.setDetail("the new resource was deleted but recreating the old one failed: "
          + e.getMessage() + "; neither half remains, and the outcome keeps the old configuration"), Optional.empty());
    }
  }

  /** Recreates {@code prior} from its configuration; the result carries the new provider id. */
  ResourceState recreate(PlanAction action, ResourceState prior) throws DriverCallException {
    ResourceOutput output = calls.call(action.getId(), "Create (compensation)", () -> router.endpoint(action)
        .create(CreateRequest.newBuilder()
            .setActionId(action.getId() + "/compensate")
            .setResource(spec(prior))
            .build()))
        .getOutput();
    return prior.toBuilder().setOutput(output).setTainted(false).setNeedsAttention(false).clearAttentionReason().build();
  }

  private void inverseDelete(PlanAction action, ResourceState created) throws DriverCallException {
    calls.call(action.getId(), "Delete (compensation)", () -> router.endpoint(action)
        .delete(DeleteRequest.newBuilder().setActionId(action.getId() + "/compensate").setState(created).build()));
  }

  private Compensation pluginUndo(PlanAction action, ResourceOutput driverOutput, Optional<ResourceState> prior,
      String reason, Optional<ResourceState> whenCompensated, Optional<ResourceState> whenFailed) {
    CompensationDetail.Builder detail = CompensationDetail.newBuilder()
        .setCompensator(Compensator.COMPENSATOR_PLUGIN)
        .setCall("Compensate");
    CompensateResponse answer;
    try {
      CompensateRequest.Builder request = CompensateRequest.newBuilder()
          .setAction(action)
          .setDriverOutput(driverOutput)
          .setReason(reason);
      prior.ifPresent(request::setPriorState);
      answer = calls.call(action.getId(), "Compensate", () -> router.endpoint(action).compensate(request.build()));
    } catch (DriverCallException e) {
      return Compensation.failed(detail.setDetail("Compensate failed: " + e.getMessage()), whenFailed);
    }
    ResourceOutput remaining = answer.getRemaining();
    if (answer.getStatus() != ActionStatus.ACTION_STATUS_COMPENSATED) {
      Optional<ResourceState> left = remaining.getProviderId().isEmpty()
          ? whenFailed
          : Optional.of(whenFailed.or(() -> prior).orElseThrow().toBuilder().setOutput(remaining).build());
      return Compensation.failed(detail.setDetail("the plugin could not compensate: " + answer.getDetail()), left);
    }
    if (action.getKind() == ActionKind.ACTION_KIND_CREATE) {
      Optional<String> stillThere = confirmGone(action, driverOutput);
      if (stillThere.isPresent()) {
        return Compensation.failed(detail.setDetail("the plugin answered COMPENSATED but Read still finds "
            + stillThere.get()), whenFailed);
      }
    }
    Optional<ResourceState> after = whenCompensated.map(s -> remaining.getProviderId().isEmpty()
        ? s : s.toBuilder().setOutput(remaining).build());
    return Compensation.compensated(detail.setDetail(answer.getDetail()), after);
  }

  private Optional<String> confirmGone(PlanAction action, ResourceOutput created) {
    ResourceType type = router.type(action.getResource().getType());
    if (!type.getOperationsList().contains(Operation.OPERATION_READ) || created.getProviderId().isEmpty()) {
      return Optional.empty();
    }
    try {
      boolean exists = calls.call(action.getId(), "Read (confirm compensation)", () -> router.endpoint(action)
          .read(ReadRequest.newBuilder()
              .setActionId(action.getId())
              .setResource(action.getResource())
              .setProviderId(created.getProviderId())
              .build()))
          .getExists();
      return exists ? Optional.of(created.getProviderId()) : Optional.empty();
    } catch (DriverCallException e) {
      return Optional.of(created.getProviderId() + " (Read failed: " + e.getMessage() + ")");
    }
  }

  private static Compensation notCompensable(Optional<ResourceState> remaining) {
    return Compensation.failed(CompensationDetail.newBuilder().setDetail(NOT_COMPENSABLE), remaining);
  }

  private static CompensationDetail.Builder hostDetail(String call) {
    return CompensationDetail.newBuilder().setCompensator(Compensator.COMPENSATOR_HOST).setCall(call);
  }

  static ResourceSpec spec(ResourceState state) {
    return ResourceSpec.newBuilder()
        .setName(state.getName())
        .setType(state.getType())
        .setConfig(state.getConfig())
        .addAllDependsOn(state.getDependsOnList())
        .build();
  }
}
