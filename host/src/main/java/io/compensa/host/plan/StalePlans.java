package io.compensa.host.plan;

import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses a plan that no longer matches the state it is applied to. A plan carries, in each UPDATE,
 * REPLACE and DELETE, the record it was made from ({@code PlanAction.current}); when another apply
 * has changed or removed that resource since, applying the plan would undo that apply's work (an
 * UPDATE compensated back to the old version) or leave what it made unrecorded (a REPLACE or DELETE
 * of the old version). So every such action's copy must still equal the state's record, and a plan
 * made from another state (another lineage) is refused outright. A change to a resource the plan
 * does not touch does not make it stale. Stateless.
 */
public final class StalePlans {
  private StalePlans() {}

  /**
   * Checks {@code plan} against {@code state}.
   *
   * @throws InvalidPlanException naming every resource that moved on since the plan was made, and
   *     what changed
   */
  public static void check(Plan plan, StateSnapshot state) throws InvalidPlanException {
    if (!plan.getBaseLineage().isEmpty()
        && !state.getLineage().isEmpty()
        && !plan.getBaseLineage().equals(state.getLineage())) {
      throw new InvalidPlanException(
          "plan "
              + plan.getId()
              + " was made from another state (lineage "
              + plan.getBaseLineage()
              + "), not this one (lineage "
              + state.getLineage()
              + "): nothing was applied; make a new plan with this configuration");
    }
    Map<String, ResourceState> recorded = new HashMap<>();
    for (ResourceState resource : state.getResourcesList()) {
      recorded.put(resource.getName(), resource);
    }
    List<String> moved = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      if (!action.hasCurrent()) {
        continue; // a CREATE of something recorded is refused by PlanValidator
      }
      String name = action.getResource().getName();
      ResourceState now = recorded.get(name);
      if (now == null) {
        moved.add("\"" + name + "\" is no longer in the state (deleted since the plan was made)");
      } else if (!now.equals(action.getCurrent())) {
        moved.add(
            "\""
                + name
                + "\" changed since the plan was made ("
                + changes(action.getCurrent(), now)
                + ")");
      }
    }
    if (!moved.isEmpty()) {
      throw new InvalidPlanException(
          "plan "
              + plan.getId()
              + " is stale: it was made from state serial "
              + plan.getBaseSerial()
              + ", the state is now at serial "
              + state.getSerial()
              + ", and "
              + String.join("; ", moved)
              + ". Nothing was applied: make a new plan with `compensa plan` and apply that");
    }
  }

  private static String changes(ResourceState planned, ResourceState now) {
    List<String> what = new ArrayList<>();
    String before = planned.getOutput().getProviderId();
    String after = now.getOutput().getProviderId();
    if (!before.equals(after)) {
      what.add("provider id " + before + " -> " + after);
    }
    if (!planned.getConfig().equals(now.getConfig())) {
      what.add("its configuration");
    }
    if (!planned.getOutput().getOutputs().equals(now.getOutput().getOutputs())) {
      what.add("its outputs");
    }
    if (what.isEmpty()) {
      what.add("its record");
    }
    return String.join(", ", what);
  }
}
