package io.compensa.host.plan;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.graph.GraphBuilder;
import com.google.common.graph.Graphs;
import com.google.common.graph.ImmutableGraph;
import com.google.common.graph.MutableGraph;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which a plan's actions may run, as a directed graph of action ids.
 *
 * <p>An edge {@code a → b} means {@code b} may start only after {@code a} reached its desired
 * state. Creates, updates and replaces follow their resources' dependencies; deletes run in
 * reverse: a resource is deleted only after the deletes of the resources that depend on it.
 * Immutable and thread-safe.
 */
public final class ActionGraph {
  private final ImmutableGraph<String> graph;
  private final ImmutableMap<String, PlanAction> actions;

  private ActionGraph(ImmutableGraph<String> graph, ImmutableMap<String, PlanAction> actions) {
    this.graph = graph;
    this.actions = actions;
  }

  /**
   * Builds the graph of {@code plan}, whose resource names and dependencies must already be valid.
   *
   * @throws InvalidPlanException when the dependencies form a cycle; the message names it
   */
  public static ActionGraph of(Plan plan) throws InvalidPlanException {
    MutableGraph<String> graph = GraphBuilder.directed().allowsSelfLoops(true).build();
    Map<String, PlanAction> byResource = new HashMap<>();
    ImmutableMap.Builder<String, PlanAction> byId = ImmutableMap.builder();
    for (PlanAction action : plan.getActionsList()) {
      graph.addNode(action.getId());
      byResource.put(action.getResource().getName(), action);
      byId.put(action.getId(), action);
    }
    for (PlanAction action : plan.getActionsList()) {
      for (String dependency : action.getResource().getDependsOnList()) {
        PlanAction other = byResource.get(dependency);
        if (other == null) {
          continue; // a dependency on a resource the plan does not touch is already in place
        }
        boolean deleting = action.getKind() == ActionKind.ACTION_KIND_DELETE;
        boolean otherDeleting = other.getKind() == ActionKind.ACTION_KIND_DELETE;
        if (deleting && otherDeleting) {
          graph.putEdge(action.getId(), other.getId());
        } else if (!deleting && !otherDeleting) {
          graph.putEdge(other.getId(), action.getId());
        }
      }
    }
    if (Graphs.hasCycle(graph)) {
      throw new InvalidPlanException(
          "the plan's dependencies form a cycle: " + describeCycle(graph, byId.build()));
    }
    return new ActionGraph(ImmutableGraph.copyOf(graph), byId.build());
  }

  /** The actions that must reach their desired state before {@code actionId} starts. */
  public Set<String> prerequisites(String actionId) {
    return graph.predecessors(actionId);
  }

  /** The actions that wait for {@code actionId}. */
  public Set<String> dependents(String actionId) {
    return graph.successors(actionId);
  }

  /** Every action that transitively waits for {@code actionId}, not including itself. */
  public Set<String> allDependents(String actionId) {
    Set<String> reachable = new HashSet<>(Graphs.reachableNodes(graph, actionId));
    reachable.remove(actionId);
    return reachable;
  }

  /** The actions in an order where each comes after its prerequisites (plan order breaks ties). */
  public List<String> topologicalOrder() {
    Map<String, Integer> waiting = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (String id : actions.keySet()) {
      int in = graph.inDegree(id);
      waiting.put(id, in);
      if (in == 0) {
        ready.add(id);
      }
    }
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      order.add(id);
      for (String next : graph.successors(id)) {
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    return ImmutableList.copyOf(order);
  }

  /** The action with this id. */
  public PlanAction action(String actionId) {
    return actions.get(actionId);
  }

  private static String describeCycle(MutableGraph<String> graph, Map<String, PlanAction> byId) {
    // Graphs.hasCycle says whether; a depth-first walk finds one cycle to name it for the user.
    Set<String> done = new HashSet<>();
    for (String start : graph.nodes()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = findCycle(graph, start, path, new HashSet<>(), done);
      if (cycle != null) {
        List<String> names = new ArrayList<>();
        for (String id : cycle) {
          names.add(byId.get(id).getResource().getName());
        }
        return String.join(" -> ", names);
      }
    }
    return "(not found)";
  }

  private static List<String> findCycle(
      MutableGraph<String> graph,
      String node,
      List<String> path,
      Set<String> onPath,
      Set<String> done) {
    if (onPath.contains(node)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return cycle;
    }
    if (!done.add(node)) {
      return null;
    }
    path.add(node);
    onPath.add(node);
    for (String next : graph.successors(node)) {
      List<String> cycle = findCycle(graph, next, path, onPath, done);
      if (cycle != null) {
        return cycle;
      }
    }
    onPath.remove(node);
    path.remove(path.size() - 1);
    return null;
  }
}
