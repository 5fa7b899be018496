package io.compensa.host.plan;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * The actions of a graph that may start now, in one of two directions: forward (an action waits for
 * its prerequisites; the earliest in topological order starts first, plan order breaking ties) for
 * an apply, or reverse (an action waits for its dependents; the latest starts first) for a
 * rollback. Each action keeps a count of what it still waits for, so settling one costs only its
 * edges. Not thread-safe: the one scheduling thread uses it.
 */
public final class ReadyActions {
  private final List<String> order;
  private final Map<String, Integer> position = new HashMap<>();
  private final int[] waiting;
  private final PriorityQueue<Integer> ready;
  private final Function<String, Set<String>> releasedBy;

  private ReadyActions(ActionGraph graph, boolean forward) {
    this.order = graph.topologicalOrder();
    this.waiting = new int[order.size()];
    this.ready = forward ? new PriorityQueue<>() : new PriorityQueue<>(Comparator.reverseOrder());
    Function<String, Set<String>> waitsFor = forward ? graph::prerequisites : graph::dependents;
    this.releasedBy = forward ? graph::dependents : graph::prerequisites;
    for (String id : order) {
      int at = position.size();
      position.put(id, at);
      waiting[at] = waitsFor.apply(id).size();
      if (waiting[at] == 0) {
        ready.add(at);
      }
    }
  }

  /** An apply's order: each action after all its prerequisites. */
  public static ReadyActions forward(ActionGraph graph) {
    return new ReadyActions(graph, true);
  }

  /** A rollback's order: each action after all its dependents. */
  public static ReadyActions reverse(ActionGraph graph) {
    return new ReadyActions(graph, false);
  }

  /** Every action, in topological order. */
  public List<String> all() {
    return order;
  }

  /** Whether no action may start now. */
  public boolean isEmpty() {
    return ready.isEmpty();
  }

  /** Takes the next action that may start. */
  public String next() {
    return order.get(ready.poll());
  }

  /** {@code id} is settled: the actions that waited for it wait for one fewer. */
  public void settled(String id) {
    for (String other : releasedBy.apply(id)) {
      int at = position.get(other);
      if (--waiting[at] == 0) {
        ready.add(at);
      }
    }
  }
}
