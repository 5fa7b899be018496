package io.compensa.host.plan;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.StateSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns desired resources and the recorded state into a plan, asking each driver's Diff what a
 * changed resource needs. Thread-safe.
 */
public final class Planner {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final PluginRouter router;

  /** A planner over the configured plugins. */
  public Planner(PluginRouter router) {
    this.router = router;
  }

  /**
   * Plans the changes from {@code state} to {@code desired}: CREATE for new resources, UPDATE or
   * REPLACE for changed ones (REPLACE for tainted ones), DELETE for recorded ones no longer
   * desired.
   *
   * @throws InvalidPlanException when the desired resources are inconsistent or a Diff fails
   */
  public Plan plan(List<DesiredResource> desired, StateSnapshot state) throws InvalidPlanException {
    return plan(desired, state, true);
  }

  /**
   * Plans as {@link #plan(List, StateSnapshot)} does; with {@code refresh}, first reads every
   * recorded resource through its driver ({@link Refresh}) and plans from what the world says: a
   * resource gone from the world is created again, one changed outside Compensa is diffed from its
   * observed configuration, and each such action says why in {@code PlanAction.drift}. A Read that
   * fails refuses the plan, naming the resource.
   *
   * @param refresh false plans from the record alone
   * @throws InvalidPlanException when the desired resources are inconsistent, a Diff fails or a
   *     refreshing Read fails
   */
  public Plan plan(List<DesiredResource> desired, StateSnapshot state, boolean refresh)
      throws InvalidPlanException {
    Map<String, Refresh.Seen> seen = refresh ? Refresh.read(router, state) : Map.of();
    String planId =
        "plan-"
            + ID_TIME.format(Instant.now())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    Map<String, ResourceState> recorded = new HashMap<>();
    for (ResourceState resource : state.getResourcesList()) {
      recorded.put(resource.getName(), resource);
    }
    Plan.Builder plan =
        Plan.newBuilder()
            .setId(planId)
            .setBaseLineage(state.getLineage())
            .setBaseSerial(state.getSerial());
    Set<String> names = new HashSet<>();
    for (DesiredResource resource : desired) {
      String name = resource.spec().getName();
      if (!names.add(name)) {
        throw new InvalidPlanException(
            "resource \"" + name + "\" is declared twice in the desired resources");
      }
      ResourceType type = router.types().get(resource.spec().getType());
      if (type == null) {
        throw new InvalidPlanException(
            "resource \""
                + name
                + "\": type \""
                + resource.spec().getType()
                + "\" is not served by any configured plugin (served types: "
                + new java.util.TreeSet<>(router.types().keySet())
                + ")");
      }
      ResourceState current = recorded.get(name);
      Refresh.Seen world = seen.get(name);
      String drift = world == null ? "" : world.drift();
      ActionKind kind;
      if (current == null || (world != null && world.gone())) {
        kind = ActionKind.ACTION_KIND_CREATE;
      } else {
        kind = change(resource, world == null ? current : world.prior(), type);
        if (kind == ActionKind.ACTION_KIND_UNSPECIFIED && !drift.isEmpty()) {
          // the world was changed to what is desired, but the record still holds the old
          // configuration, which a later compensation would restore: an UPDATE brings the
          // record up to date (a driver's Update of what already is must change nothing)
          kind = ActionKind.ACTION_KIND_UPDATE;
          drift = drift + " (already as desired: the record is brought up to date)";
        }
      }
      if (kind == ActionKind.ACTION_KIND_UNSPECIFIED) {
        continue;
      }
      PlanAction.Builder action =
          PlanAction.newBuilder()
              .setId(planId + "/" + name)
              .setKind(kind)
              .setResource(resource.spec())
              .addAllCommandHooks(resource.hooks());
      if (current != null) {
        action.setCurrent(current).setDrift(drift);
        if (world != null && !world.gone() && !world.drift().isEmpty()) {
          action.setObservedConfig(world.prior().getConfig());
        }
      }
      plan.addActions(action);
    }
    for (ResourceState resource : state.getResourcesList()) {
      if (!names.contains(resource.getName())) {
        Refresh.Seen world = seen.get(resource.getName());
        PlanAction.Builder delete =
            PlanAction.newBuilder()
                .setId(planId + "/" + resource.getName())
                .setKind(ActionKind.ACTION_KIND_DELETE)
                .setResource(
                    io.compensa.proto.v1.ResourceSpec.newBuilder()
                        .setName(resource.getName())
                        .setType(resource.getType())
                        .setConfig(resource.getConfig())
                        .addAllDependsOn(resource.getDependsOnList()))
                .setCurrent(resource)
                .setDrift(world == null ? "" : world.drift());
        if (world != null && !world.gone() && !world.drift().isEmpty()) {
          delete.setObservedConfig(world.prior().getConfig());
        }
        plan.addActions(delete);
      }
    }
    return plan.build();
  }

  /** UNSPECIFIED when nothing needs to change. */
  private ActionKind change(DesiredResource resource, ResourceState current, ResourceType type)
      throws InvalidPlanException {
    if (current.getTainted() || !current.getType().equals(resource.spec().getType())) {
      return ActionKind.ACTION_KIND_REPLACE;
    }
    if (!type.getOperationsList().contains(Operation.OPERATION_DIFF)) {
      boolean same =
          current.getConfig().equals(resource.spec().getConfig())
              && current.getDependsOnList().equals(resource.spec().getDependsOnList());
      return same ? ActionKind.ACTION_KIND_UNSPECIFIED : ActionKind.ACTION_KIND_UPDATE;
    }
    DiffResponse diff;
    try {
      diff =
          router
              .endpoint(resource.spec().getType())
              .diff(DiffRequest.newBuilder().setDesired(resource.spec()).setPrior(current).build());
    } catch (DriverCallException e) {
      throw new InvalidPlanException(
          "resource \"" + resource.spec().getName() + "\": Diff failed: " + e.getMessage(), e);
    }
    switch (diff.getChange()) {
      case CHANGE_NONE:
        return current.getDependsOnList().equals(resource.spec().getDependsOnList())
            ? ActionKind.ACTION_KIND_UNSPECIFIED
            : ActionKind.ACTION_KIND_UPDATE;
      case CHANGE_UPDATE:
        return ActionKind.ACTION_KIND_UPDATE;
      case CHANGE_REPLACE:
        return ActionKind.ACTION_KIND_REPLACE;
      default:
        throw new InvalidPlanException(
            "resource \""
                + resource.spec().getName()
                + "\": Diff answered "
                + diff.getChange()
                + ", expected NONE, UPDATE or REPLACE");
    }
  }
}
