package io.compensa.host.plan;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.graph.Graph;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
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
    ImmutableMap<String, PlanAction> actions = byId.build();
    List<String> cycle = findCycle(graph);
    if (!cycle.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String id : cycle) {
        names.add(actions.get(id).getResource().getName());
      }
      throw new InvalidPlanException(
          "the plan's dependencies form a cycle: " + String.join(" -> ", names));
    }
    return new ActionGraph(ImmutableGraph.copyOf(graph), actions);
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

  /**
   * One cycle of {@code graph}, as the ids along it with the first repeated at the end, or an empty
   * list when there is none. A depth-first walk with a stack of its own, not the call stack: a plan
   * whose dependencies chain thousands of resources deep would overflow a recursive walk.
   */
  static List<String> findCycle(Graph<String> graph) {
    Set<String> done = new HashSet<>();
    // the walk's current path: each node with the successors it has yet to visit
    Map<String, Iterator<String>> path = new LinkedHashMap<>();
    for (String start : graph.nodes()) {
      if (done.contains(start)) {
        continue;
      }
      path.put(start, graph.successors(start).iterator());
      Deque<String> stack = new ArrayDeque<>();
      stack.push(start);
      while (!stack.isEmpty()) {
        String node = stack.peek();
        Iterator<String> next = path.get(node);
        if (!next.hasNext()) {
          stack.pop();
          path.remove(node);
          done.add(node);
          continue;
        }
        String successor = next.next();
        if (path.containsKey(successor)) {
          // back to a node on the path: the path from it, and it again, is the cycle
          List<String> cycle = new ArrayList<>();
          boolean on = false;
          for (String step : path.keySet()) {
            on |= step.equals(successor);
            if (on) {
              cycle.add(step);
            }
          }
          cycle.add(successor);
          return cycle;
        }
        if (!done.contains(successor)) {
          path.put(successor, graph.successors(successor).iterator());
          stack.push(successor);
        }
      }
    }
    return List.of();
  }
}
