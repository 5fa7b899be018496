package io.compensa.host.report;

import io.compensa.host.plan.ActionGraph;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan's actions and dependencies, with the outcome of each action when the plan was applied: the
 * nodes and edges a picture of the apply draws. Besides the dependency edges (from what an action
 * waits for to the action), it has the cascade edges: from the action whose failure made a
 * dependent SKIPPED (each prerequisite that did not reach its desired state), and from the
 * dependent that blocked an action's rollback ({@code CompensationDetail.blocked_by}) to that
 * action.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApplyGraph {

  /** What one node shows: an action, and its outcome if the plan was applied. */
  public record Node(PlanAction action, Optional<ActionOutcome> outcome) {

    /** The action's id. */
    public String id() {
      return action.getId();
    }

    /** The status's short name ({@code SUCCESS}, {@code SKIPPED}, ...), or {@code PLANNED}. */
    public String status() {
      return outcome
          .map(o -> o.getStatus().name().substring("ACTION_STATUS_".length()))
          .orElse("PLANNED");
    }

    /** The action's kind in lower case ({@code create}, {@code replace}, ...). */
    public String kind() {
      return action
          .getKind()
          .name()
          .substring("ACTION_KIND_".length())
          .toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What an edge means. */
  public enum EdgeKind {
    /** The target waits for the source (the target depends on the source's resource). */
    DEPENDS,
    /** The target was skipped because the source did not reach its desired state. */
    SKIPPED_BECAUSE,
    /** The source could not be compensated and blocked the rollback of the target. */
    BLOCKED,
    /** The source's failure made the rollback cascade compensate the target. */
    ROLLED_BACK_BECAUSE
  }

  /** An edge from one action to another. */
  public record Edge(String from, String to, EdgeKind kind) {}

  private final String planId;
  private final List<Node> nodes;
  private final List<Edge> edges;

  private ApplyGraph(String planId, List<Node> nodes, List<Edge> edges) {
    this.planId = planId;
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
  }

  /**
   * The graph of {@code plan}, with {@code outcomes} (none for a plan not yet applied).
   *
   * @param plan the plan
   * @param outcomes the outcomes of an apply of that plan, any subset of its actions
   * @return the graph, its nodes in the plan's order
   * @throws InvalidPlanException when the plan's dependencies cannot be ordered, or an outcome
   *     names an action the plan does not have
   */
  public static ApplyGraph of(Plan plan, List<ActionOutcome> outcomes) throws InvalidPlanException {
    ActionGraph graph = ActionGraph.of(plan);
    Map<String, ActionOutcome> byAction = new HashMap<>();
    for (ActionOutcome outcome : outcomes) {
      boolean known =
          plan.getActionsList().stream().anyMatch(a -> a.getId().equals(outcome.getActionId()));
      if (!known) {
        throw new InvalidPlanException(
            "the outcomes name action \""
                + outcome.getActionId()
                + "\", which plan "
                + plan.getId()
                + " does not have: give the result of an apply of this plan");
      }
      byAction.put(outcome.getActionId(), outcome);
    }
    Map<String, String> actionOfResource = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      actionOfResource.put(action.getResource().getName(), action.getId());
      nodes.add(new Node(action, Optional.ofNullable(byAction.get(action.getId()))));
    }
    List<Edge> edges = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      for (String prerequisite : graph.prerequisites(action.getId())) {
        edges.add(new Edge(prerequisite, action.getId(), EdgeKind.DEPENDS));
      }
    }
    for (PlanAction action : plan.getActionsList()) {
      ActionOutcome outcome = byAction.get(action.getId());
      if (outcome == null) {
        continue;
      }
      if (outcome.getStatus() == ActionStatus.ACTION_STATUS_SKIPPED) {
        for (String prerequisite : graph.prerequisites(action.getId())) {
          ActionOutcome before = byAction.get(prerequisite);
          if (before != null && before.getStatus() != ActionStatus.ACTION_STATUS_SUCCESS) {
            edges.add(new Edge(prerequisite, action.getId(), EdgeKind.SKIPPED_BECAUSE));
          }
        }
      }
      String blocker = outcome.getCompensation().getBlockedBy();
      if (!blocker.isEmpty() && actionOfResource.containsKey(blocker)) {
        edges.add(new Edge(actionOfResource.get(blocker), action.getId(), EdgeKind.BLOCKED));
      }
    }
    // the rollback cascade undid what had succeeded because of the failures: an edge from each
    // action that failed by itself to each action the cascade compensated
    List<String> triggers = new ArrayList<>();
    List<String> rolledBack = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      ActionOutcome outcome = byAction.get(action.getId());
      if (outcome == null) {
        continue;
      }
      if (outcome.getCompensation().getRollback()) {
        if (outcome.getCompensation().getBlockedBy().isEmpty()) {
          rolledBack.add(action.getId());
        }
      } else if (outcome.getStatus() != ActionStatus.ACTION_STATUS_SUCCESS
          && outcome.getStatus() != ActionStatus.ACTION_STATUS_SKIPPED) {
        triggers.add(action.getId());
      }
    }
    for (String trigger : triggers) {
      for (String undone : rolledBack) {
        edges.add(new Edge(trigger, undone, EdgeKind.ROLLED_BACK_BECAUSE));
      }
    }
    return new ApplyGraph(plan.getId(), nodes, edges);
  }

  /** The plan's id. */
  public String planId() {
    return planId;
  }

  /** One node per plan action, in the plan's order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The dependency edges, then the cascade edges. */
  public List<Edge> edges() {
    return edges;
  }

  /** Whether any node has an outcome (the plan was applied). */
  public boolean applied() {
    return nodes.stream().anyMatch(n -> n.outcome().isPresent());
  }
}
