package io.compensa.host.plan;

import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a plan before anything runs: every problem found here would otherwise surface half-way
 * through an apply.
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanValidator {
  private final Map<String, ResourceType> typesServed;

  /**
   * @param typesServed every resource type a configured plugin serves, by type name
   */
  public PlanValidator(Map<String, ResourceType> typesServed) {
    this.typesServed = Map.copyOf(typesServed);
  }

  /**
   * Validates {@code plan} against the types served and the names already in the state.
   *
   * @param recorded names of the resources the state records
   * @return the plan's action graph, ready to schedule
   * @throws InvalidPlanException naming the first problem and the resource it concerns
   */
  public ActionGraph validate(Plan plan, Set<String> recorded) throws InvalidPlanException {
    if (plan.getId().isBlank()) {
      throw new InvalidPlanException("the plan has no id: set \"id\" at its top level");
    }
    Set<String> actionIds = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < plan.getActionsCount(); i++) {
      PlanAction action = plan.getActions(i);
      String where = "action #" + (i + 1) + describe(action);
      if (action.getId().isBlank()) {
        throw new InvalidPlanException(where + " has no id");
      }
      if (!actionIds.add(action.getId())) {
        throw new InvalidPlanException(
            where + ": action id \"" + action.getId() + "\" is used twice");
      }
      String name = action.getResource().getName();
      if (name.isBlank()) {
        throw new InvalidPlanException(where + " has no resource name");
      }
      if (!names.add(name)) {
        throw new InvalidPlanException(
            "resource \""
                + name
                + "\" appears twice in the plan ("
                + where
                + "): each resource may have one action per plan");
      }
      if (action.getKind() == ActionKind.ACTION_KIND_UNSPECIFIED
          || action.getKind() == ActionKind.UNRECOGNIZED) {
        throw new InvalidPlanException(
            "resource \""
                + name
                + "\": the action has no kind (CREATE, UPDATE, REPLACE or DELETE)");
      }
    }
    for (PlanAction action : plan.getActionsList()) {
      checkType(action);
      checkDependencies(action, names, recorded);
      checkCurrentState(action, recorded);
    }
    return ActionGraph.of(plan);
  }

  private void checkType(PlanAction action) throws InvalidPlanException {
    String name = action.getResource().getName();
    String type = action.getResource().getType();
    ResourceType served = typesServed.get(type);
    if (served == null) {
      throw new InvalidPlanException(
          "resource \""
              + name
              + "\": type \""
              + type
              + "\" is not served by any configured plugin (served types: "
              + new TreeSet<>(typesServed.keySet())
              + ")");
    }
    for (Operation needed : operationsFor(action.getKind())) {
      if (!served.getOperationsList().contains(needed)) {
        throw new InvalidPlanException(
            "resource \""
                + name
                + "\": type \""
                + type
                + "\" does not support "
                + action.getKind().name().substring("ACTION_KIND_".length())
                + " (its plugin declares "
                + served.getOperationsList()
                + ")");
      }
    }
  }

  private static void checkDependencies(
      PlanAction action, Set<String> planned, Set<String> recorded) throws InvalidPlanException {
    String name = action.getResource().getName();
    for (String dependency : action.getResource().getDependsOnList()) {
      if (dependency.equals(name)) {
        throw new InvalidPlanException(
            "the plan's dependencies form a cycle: " + name + " -> " + name);
      }
      if (!planned.contains(dependency) && !recorded.contains(dependency)) {
        throw new InvalidPlanException(
            "resource \""
                + name
                + "\" depends on \""
                + dependency
                + "\", which is neither in the plan nor in the state");
      }
    }
  }

  private static void checkCurrentState(PlanAction action, Set<String> recorded)
      throws InvalidPlanException {
    String name = action.getResource().getName();
    boolean needsCurrent = action.getKind() != ActionKind.ACTION_KIND_CREATE;
    if (needsCurrent && !action.hasCurrent() && !recorded.contains(name)) {
      throw new InvalidPlanException(
          "resource \""
              + name
              + "\": a "
              + action.getKind().name().substring(12)
              + " needs the resource's current state, but the plan carries none and the state has no \""
              + name
              + "\"");
    }
    // a CREATE that carries the record is the planner's: the refresh found the resource gone from
    // the world (StalePlans checks that the record is still the state's)
    if (action.getKind() == ActionKind.ACTION_KIND_CREATE
        && recorded.contains(name)
        && !action.hasCurrent()) {
      throw new InvalidPlanException(
          "resource \""
              + name
              + "\": the plan creates it, but the state already records it"
              + " (plan again to get an UPDATE or REPLACE)");
    }
  }

  private static List<Operation> operationsFor(ActionKind kind) {
    switch (kind) {
      case ACTION_KIND_CREATE:
        return List.of(Operation.OPERATION_CREATE);
      case ACTION_KIND_UPDATE:
        return List.of(Operation.OPERATION_UPDATE);
      case ACTION_KIND_DELETE:
        return List.of(Operation.OPERATION_DELETE);
      case ACTION_KIND_REPLACE:
        return List.of(Operation.OPERATION_CREATE, Operation.OPERATION_DELETE);
      default:
        return List.of();
    }
  }

  private static String describe(PlanAction action) {
    String name = action.getResource().getName();
    return name.isBlank() ? "" : " (resource \"" + name + "\")";
  }
}
