package io.compensa.host.compensate;

import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import java.util.Optional;

/**
 * One plan action with what applying and compensating it need, looked up once: the plugin that
 * serves its resource type, and the type's manifest entry (its operations and its compensation
 * policy per action kind). Every step of the action's walk takes this object instead of looking the
 * plugin up again from the type name.
 *
 * <p>Immutable and thread-safe.
 */
public final class ResolvedAction {
  private final PlanAction action;
  private final PluginEndpoint endpoint;
  private final ResourceType type;

  private ResolvedAction(PlanAction action, PluginEndpoint endpoint, ResourceType type) {
    this.action = action;
    this.endpoint = endpoint;
    this.type = type;
  }

  /** Resolves {@code action}'s plugin and resource type through {@code router}. */
  public static ResolvedAction resolve(PlanAction action, PluginRouter router) {
    return new ResolvedAction(
        action, router.endpoint(action), router.type(action.getResource().getType()));
  }

  /** The plan action itself. */
  public PlanAction action() {
    return action;
  }

  /** The action's id, the idempotency key of its driver calls. */
  public String id() {
    return action.getId();
  }

  /** The name of the resource the action applies. */
  public String name() {
    return action.getResource().getName();
  }

  /** The action's kind as the plan gives it. */
  public ActionKind kind() {
    return action.getKind();
  }

  /** The plugin that serves the action's resource type. */
  public PluginEndpoint endpoint() {
    return endpoint;
  }

  /** Whether the type serves Read, which settles interrupted calls and confirms compensations. */
  public boolean reads() {
    return type.getOperationsList().contains(Operation.OPERATION_READ);
  }

  /** Whether a replace of this type creates the new resource before it deletes the old one. */
  public boolean createsBeforeDeleting() {
    return type.getCreateBeforeDelete();
  }

  /**
   * The compensation policy the type declares for undoing a {@code kind} (CREATE, UPDATE or
   * DELETE); a replace is undone as its two halves, each by its own kind's policy.
   */
  public CompensationPolicy policy(ActionKind kind) {
    switch (kind) {
      case ACTION_KIND_CREATE:
        return type.getCompensation().getCreate();
      case ACTION_KIND_UPDATE:
        return type.getCompensation().getUpdate();
      case ACTION_KIND_DELETE:
        return type.getCompensation().getDelete();
      default:
        throw new IllegalArgumentException(
            "a " + kind + " has no policy of its own: its halves do");
    }
  }

  /** The record the action leaves when its driver returned {@code output}. */
  public ResourceState entry(ResourceOutput output) {
    return ResourceState.newBuilder()
        .setName(action.getResource().getName())
        .setType(action.getResource().getType())
        .setConfig(action.getResource().getConfig())
        .addAllDependsOn(action.getResource().getDependsOnList())
        .setOutput(output)
        .build();
  }

  /**
   * The record the action leaves when its driver returned {@code output}: {@link #entry}, keeping
   * the objects the prior record lists as deposed (they still exist), and, for a replace that
   * creates before it deletes, deposing the prior object itself under this action's id until its
   * deferred Delete.
   *
   * @param prior the record before the action; empty for a create
   */
  public ResourceState applied(ResourceOutput output, Optional<ResourceState> prior) {
    ResourceState.Builder record = entry(output).toBuilder();
    prior.ifPresent(p -> record.addAllDeposed(p.getDeposedList()));
    if (defersDelete() && prior.isPresent()) {
      record.addDeposed(
          DeposedObject.newBuilder()
              .setActionId(id())
              .setState(prior.get().toBuilder().clearDeposed()));
    }
    return record.build();
  }

  /** Whether this action is a replace that creates first and deletes the old object later. */
  public boolean defersDelete() {
    return kind() == ActionKind.ACTION_KIND_REPLACE && createsBeforeDeleting();
  }

  /**
   * Where the secrets store keeps the sensitive values this action's driver returns: the resource's
   * name, or {@code name/actionId} for the new object of a replace that defers its delete, whose
   * values must not overwrite those of the old object that still exists beside it.
   */
  public String secretScope() {
    return defersDelete() ? name() + "/" + id() : name();
  }

  /** The old object this action deposed in {@code record} and has not deleted yet, if any. */
  public Optional<DeposedObject> deposedIn(Optional<ResourceState> record) {
    return record.flatMap(
        r -> r.getDeposedList().stream().filter(d -> d.getActionId().equals(id())).findFirst());
  }

  /** {@code record} without the old object this action deposed. */
  public ResourceState withoutDeposed(ResourceState record) {
    ResourceState.Builder kept = record.toBuilder().clearDeposed();
    for (DeposedObject deposed : record.getDeposedList()) {
      if (!deposed.getActionId().equals(id())) {
        kept.addDeposed(deposed);
      }
    }
    return kept.build();
  }

  /** The spec that recreates {@code state} as it was recorded. */
  static ResourceSpec spec(ResourceState state) {
    return ResourceSpec.newBuilder()
        .setName(state.getName())
        .setType(state.getType())
        .setConfig(state.getConfig())
        .addAllDependsOn(state.getDependsOnList())
        .build();
  }
}
