package io.compensa.host.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The action graph of plans whose dependencies chain very deep: it is built, ordered and checked
 * for cycles without recursion, so a chain of 100,000 resources neither overflows the stack nor
 * hides a cycle at its far end.
 */
class ActionGraphTest {
  private static final int CHAIN = 100_000;

  /**
   * A small stack, as a thread of a host might have: a recursive walk of the chain overflows it.
   */
  private static final long STACK_BYTES = 256 * 1024;

  @Test
  void aChainOf100000IsOrderedAlongTheChain() throws Throwable {
    Plan plan = chain(CHAIN, false);

    ActionGraph graph = onSmallStack(() -> ActionGraph.of(plan));

    List<String> order = graph.topologicalOrder();
    assertThat(order).hasSize(CHAIN);
    assertThat(order.get(0)).isEqualTo("create-r0");
    assertThat(order.get(CHAIN - 1)).isEqualTo("create-r" + (CHAIN - 1));
    assertThat(graph.prerequisites("create-r500")).containsExactly("create-r499");
    assertThat(graph.dependents("create-r500")).containsExactly("create-r501");
  }

  @Test
  void aCycleAtTheEndOfAChainOf100000IsRefusedNamingIt() {
    Plan plan = chain(CHAIN, true);

    assertThatThrownBy(() -> onSmallStack(() -> ActionGraph.of(plan)))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessage("the plan's dependencies form a cycle: r99997 -> r99998 -> r99999 -> r99997");
  }

  @Test
  void aResourceThatDependsOnItselfIsACycleOfOne() {
    Plan plan =
        Plan.newBuilder()
            .setId("self")
            .addActions(create("a"))
            .addActions(create("b", "a", "b"))
            .build();

    assertThatThrownBy(() -> ActionGraph.of(plan))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessage("the plan's dependencies form a cycle: b -> b");
  }

  @Test
  void deletesThatDependOnEachOtherInACycleAreRefusedToo() {
    Plan plan =
        Plan.newBuilder()
            .setId("deletes")
            .addActions(delete("x", "z"))
            .addActions(delete("y", "x"))
            .addActions(delete("z", "y"))
            .build();

    assertThatThrownBy(() -> ActionGraph.of(plan))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageStartingWith("the plan's dependencies form a cycle: ")
        .satisfies(
            e -> {
              List<String> cycle =
                  List.of(e.getMessage().substring(e.getMessage().indexOf(": ") + 2).split(" -> "));
              assertThat(cycle).hasSize(4);
              assertThat(cycle.get(0)).isEqualTo(cycle.get(3));
              assertThat(cycle.subList(0, 3)).containsExactlyInAnyOrder("x", "y", "z");
            });
  }

  /**
   * Creates of r0 ... r(size-1), each depending on the one before; with {@code cycle}, the third
   * from last also depends on the last, closing a cycle of three at the chain's far end.
   */
  private static Plan chain(int size, boolean cycle) {
    Plan.Builder plan = Plan.newBuilder().setId("chain");
    for (int i = 0; i < size; i++) {
      PlanAction.Builder action = create("r" + i).toBuilder();
      if (i > 0) {
        action.getResourceBuilder().addDependsOn("r" + (i - 1));
      }
      if (cycle && i == size - 3) {
        action.getResourceBuilder().addDependsOn("r" + (size - 1));
      }
      plan.addActions(action);
    }
    return plan.build();
  }

  private static PlanAction create(String name, String... dependsOn) {
    return action(ActionKind.ACTION_KIND_CREATE, name, dependsOn);
  }

  private static PlanAction delete(String name, String... dependsOn) {
    return action(ActionKind.ACTION_KIND_DELETE, name, dependsOn);
  }

  private static PlanAction action(ActionKind kind, String name, String... dependsOn) {
    return PlanAction.newBuilder()
        .setId(kind.name().substring("ACTION_KIND_".length()).toLowerCase() + "-" + name)
        .setKind(kind)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(name)
                .setType("t")
                .addAllDependsOn(List.of(dependsOn)))
        .build();
  }

  /** A step that may throw. */
  private interface Step<T> {
    T run() throws Exception;
  }

  /** Runs {@code step} on a thread with a {@link #STACK_BYTES} stack; rethrows what it threw. */
  private static <T> T onSmallStack(Step<T> step) throws Throwable {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                result.set(step.run());
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "small-stack",
            STACK_BYTES);
    thread.start();
    thread.join(120_000);
    if (thread.isAlive()) {
      thread.interrupt();
      throw new AssertionError("building the graph did not end within 120 s");
    }
    if (thrown.get() != null) {
      throw thrown.get();
    }
    return result.get();
  }
}
