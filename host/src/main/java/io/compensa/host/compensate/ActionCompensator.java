package io.compensa.host.compensate;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.util.Optional;

/**
 * Undoes an action whose driver call took effect, by the compensation policy its resource type
 * declares for that action kind (docs/compensation.md): NONE (nothing is undone; what remains is
 * flagged), HOST_INVERSE (the host's inverse driver call, {@link HostInverse}) or PLUGIN ({@code
 * CompensableService.Compensate}, {@link PluginCompensation}). A replace is undone as its two
 * halves. Every result says what the state must record afterwards. Thread-safe.
 */
public final class ActionCompensator {
  private final HostInverse inverse;
  private final PluginCompensation plugin;

  /** A compensator that makes its calls through {@code calls}. */
  public ActionCompensator(DriverCaller calls) {
    this.inverse = new HostInverse(calls);
    this.plugin = new PluginCompensation(calls);
  }

  /**
   * Undoes {@code target}'s action, by its kind.
   *
   * @param prior the record before the action; empty for a create
   * @param applied the record after the action; empty after a delete
   * @param driverOutput what the driver returned
   * @param reason why the action is undone
   */
  public Compensation undo(
      ResolvedAction target,
      Optional<ResourceState> prior,
      Optional<ResourceState> applied,
      ResourceOutput driverOutput,
      String reason) {
    switch (target.kind()) {
      case ACTION_KIND_CREATE:
        return undoCreation(target, applied.orElseThrow(), driverOutput, reason);
      case ACTION_KIND_UPDATE:
        return undoUpdate(target, prior.orElseThrow(), applied.orElseThrow(), driverOutput, reason);
      case ACTION_KIND_DELETE:
        return undoDelete(target, prior.orElseThrow(), reason);
      case ACTION_KIND_REPLACE:
        if (target.deposedIn(applied).isPresent()) {
          return undoReplaceCreatingFirst(
              target, prior.orElseThrow(), applied.orElseThrow(), driverOutput, reason);
        }
        return undoReplace(
            target, prior.orElseThrow(), applied.orElseThrow(), driverOutput, reason);
      default:
        throw new IllegalArgumentException("cannot compensate an action of kind " + target.kind());
    }
  }

  /**
   * Undoes a creation by the type's create policy: the action's own create, or the new half of a
   * replace (which the plugin, under PLUGIN, is asked to undo as the CREATE it was).
   */
  public Compensation undoCreation(
      ResolvedAction target, ResourceState created, ResourceOutput driverOutput, String reason) {
    switch (target.policy(ActionKind.ACTION_KIND_CREATE)) {
      case COMPENSATION_POLICY_HOST_INVERSE:
        {
          CompensationDetail.Builder detail = HostInverse.detail("Delete");
          try {
            inverse.delete(target, created);
            return Compensation.compensated(
                detail.setDetail(
                    "deleted the created resource " + created.getOutput().getProviderId()),
                Optional.empty());
          } catch (DriverCallException e) {
            return Compensation.failed(
                detail.setDetail(
                    "the inverse Delete failed: "
                        + e.getMessage()
                        + "; the created resource still exists"),
                Optional.of(created));
          }
        }
      case COMPENSATION_POLICY_PLUGIN:
        return plugin.undo(
            target,
            asCreation(target.action()),
            driverOutput,
            Optional.empty(),
            reason,
            Optional.empty(),
            Optional.of(created));
      default:
        return Compensation.notCompensable(Optional.of(created));
    }
  }

  /**
   * Settles a delete-first replace whose old resource was deleted and whose Create then failed
   * (with no partial output): under a HOST_INVERSE delete policy the old resource is recreated from
   * its configuration; under any other policy there is nothing the host may do (empty).
   */
  public Optional<Compensation> restoreReplaced(ResolvedAction target, ResourceState old) {
    if (target.policy(ActionKind.ACTION_KIND_DELETE)
        != CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      return Optional.empty();
    }
    CompensationDetail.Builder detail = HostInverse.detail("Create");
    try {
      ResourceState recreated = inverse.recreate(target, old);
      return Optional.of(
          Compensation.compensated(
              detail.setDetail(
                  "recreated the old resource as " + recreated.getOutput().getProviderId()),
              Optional.of(recreated)));
    } catch (DriverCallException e) {
      return Optional.of(
          Compensation.failed(
              detail.setDetail(
                  "half-replaced: recreating the old resource failed: " + e.getMessage()),
              Optional.empty()));
    }
  }

  private Compensation undoUpdate(
      ResolvedAction target,
      ResourceState prior,
      ResourceState updated,
      ResourceOutput driverOutput,
      String reason) {
    switch (target.policy(ActionKind.ACTION_KIND_UPDATE)) {
      case COMPENSATION_POLICY_HOST_INVERSE:
        {
          CompensationDetail.Builder detail = HostInverse.detail("Update");
          try {
            ResourceOutput back = inverse.updateBack(target, prior, updated);
            return Compensation.compensated(
                detail.setDetail("updated back to the prior configuration"),
                Optional.of(
                    prior.toBuilder()
                        .setOutput(back.getProviderId().isEmpty() ? prior.getOutput() : back)
                        .build()));
          } catch (DriverCallException e) {
            return Compensation.failed(
                detail.setDetail(
                    "the Update back to the prior configuration failed: "
                        + e.getMessage()
                        + "; the resource keeps the new configuration"),
                Optional.of(updated));
          }
        }
      case COMPENSATION_POLICY_PLUGIN:
        return plugin.undo(
            target,
            target.action(),
            driverOutput,
            Optional.of(prior),
            reason,
            Optional.of(prior),
            Optional.of(updated));
      default:
        return Compensation.notCompensable(Optional.of(updated));
    }
  }

  private Compensation undoDelete(ResolvedAction target, ResourceState prior, String reason) {
    switch (target.policy(ActionKind.ACTION_KIND_DELETE)) {
      case COMPENSATION_POLICY_HOST_INVERSE:
        {
          CompensationDetail.Builder detail = HostInverse.detail("Create");
          try {
            ResourceState recreated = inverse.recreate(target, prior);
            return Compensation.compensated(
                detail.setDetail(
                    "recreated from the prior configuration as "
                        + recreated.getOutput().getProviderId()),
                Optional.of(recreated));
          } catch (DriverCallException e) {
            return Compensation.failed(
                detail.setDetail(
                    "recreating the deleted resource failed: "
                        + e.getMessage()
                        + "; it is gone, and the outcome keeps its prior configuration"),
                Optional.empty());
          }
        }
      case COMPENSATION_POLICY_PLUGIN:
        return plugin.undo(
            target,
            target.action(),
            ResourceOutput.getDefaultInstance(),
            Optional.of(prior),
            reason,
            Optional.of(prior),
            Optional.empty());
      default:
        return Compensation.notCompensable(Optional.empty());
    }
  }

  /**
   * A create-before-delete replace whose old object still exists (its delete is deferred): only the
   * new object is undone, by the type's create policy, and the old one, never touched, is the
   * record again. When the new object cannot be undone both exist: the old one stays the record and
   * the new one is listed beside it as deposed, to be deleted, needing attention.
   */
  private Compensation undoReplaceCreatingFirst(
      ResolvedAction target,
      ResourceState old,
      ResourceState applied,
      ResourceOutput driverOutput,
      String reason) {
    // the new object alone, as the plugin made it
    ResourceState created = applied.toBuilder().clearDeposed().build();
    // the prior record, with the objects it listed as deposed before this action
    ResourceState oldRecord = old;
    Compensation undo = undoCreation(target, created, driverOutput, reason);
    String newId = created.getOutput().getProviderId();
    String oldId = old.getOutput().getProviderId();
    if (undo.compensated()) {
      return Compensation.compensated(
          undo.detail().toBuilder()
              .setDetail(
                  undo.detail().getDetail()
                      + "; the old resource "
                      + oldId
                      + " was never touched and stays in place"),
          Optional.of(oldRecord));
    }
    String why =
        "the new resource "
            + newId
            + " could not be undone after a create-before-delete replace ("
            + undo.detail().getDetail()
            + "): it exists beside the old one, "
            + oldId
            + ", which stays in place; delete it";
    ResourceState failedNew =
        created.toBuilder().setNeedsAttention(true).setAttentionReason(why).build();
    ResourceState both =
        oldRecord.toBuilder()
            .addDeposed(DeposedObject.newBuilder().setActionId(target.id()).setState(failedNew))
            .setNeedsAttention(true)
            .setAttentionReason(why)
            .build();
    return Compensation.failed(
        undo.detail().toBuilder()
            .setDetail(
                undo.detail().getDetail()
                    + "; the old resource "
                    + oldId
                    + " stays in place and the new one "
                    + newId
                    + " is recorded beside it as deposed"),
        Optional.of(both));
  }

  /**
   * Both halves of a replace took effect: undo them in reverse (delete the new, recreate the old).
   */
  private Compensation undoReplace(
      ResolvedAction target,
      ResourceState old,
      ResourceState created,
      ResourceOutput driverOutput,
      String reason) {
    CompensationPolicy create = target.policy(ActionKind.ACTION_KIND_CREATE);
    CompensationPolicy delete = target.policy(ActionKind.ACTION_KIND_DELETE);
    if (create == CompensationPolicy.COMPENSATION_POLICY_PLUGIN
        || delete == CompensationPolicy.COMPENSATION_POLICY_PLUGIN) {
      Compensation undone =
          plugin.undo(
              target,
              target.action(),
              driverOutput,
              Optional.of(old),
              reason,
              Optional.of(old),
              Optional.of(created));
      if (undone.compensated()) {
        return undone;
      }
      // a replace whose compensation failed names which half remains
      String remains =
          undone
              .stateAfter()
              .map(
                  s ->
                      s.getOutput().getProviderId().equals(created.getOutput().getProviderId())
                          ? "the new resource "
                              + created.getOutput().getProviderId()
                              + " remains and the old one is deleted"
                          : "resource " + s.getOutput().getProviderId() + " remains")
              .orElse("neither half remains, and the outcome keeps the old configuration");
      Optional<ResourceState> unflagged =
          undone
              .stateAfter()
              .map(s -> s.toBuilder().setNeedsAttention(false).clearAttentionReason().build());
      return Compensation.failed(
          undone.detail().toBuilder().setDetail(undone.detail().getDetail() + "; " + remains),
          unflagged);
    }
    if (create != CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE
        || delete != CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE) {
      return Compensation.failed(
          CompensationDetail.newBuilder()
              .setDetail(
                  Compensation.NOT_COMPENSABLE
                      + ": the new resource "
                      + created.getOutput().getProviderId()
                      + " remains and the old one is deleted"),
          Optional.of(created));
    }
    CompensationDetail.Builder detail = HostInverse.detail("Delete, Create");
    try {
      inverse.delete(target, created);
    } catch (DriverCallException e) {
      return Compensation.failed(
          detail.setDetail(
              "deleting the new half failed: "
                  + e.getMessage()
                  + "; the new resource "
                  + created.getOutput().getProviderId()
                  + " remains and the old one is deleted"),
          Optional.of(created));
    }
    try {
      ResourceState recreated = inverse.recreate(target, old);
      return Compensation.compensated(
          detail.setDetail(
              "deleted the new resource and recreated the old one as "
                  + recreated.getOutput().getProviderId()),
          Optional.of(recreated));
    } catch (DriverCallException e) {
      return Compensation.failed(
          detail.setDetail(
              "the new resource was deleted but recreating the old one failed: "
                  + e.getMessage()
                  + "; neither half remains, and the outcome keeps the old configuration"),
          Optional.empty());
    }
  }

  /** The action as the plugin is told of it when what it undoes is a creation. */
  private static PlanAction asCreation(PlanAction action) {
    return action.getKind() == ActionKind.ACTION_KIND_CREATE
        ? action
        : action.toBuilder().setKind(ActionKind.ACTION_KIND_CREATE).build();
  }
}
