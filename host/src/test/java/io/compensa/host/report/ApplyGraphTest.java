package io.compensa.host.report;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.plan.InvalidPlanException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph of a plan and an apply of it: nodes, dependency edges, and the cascade edges. */
class ApplyGraphTest {
  private final Plan plan =
      plan(
          "p",
          create("a", "t", "1"),
          create("b", "t", "1", "a"),
          create("c", "t", "1", "b"),
          create("d", "t", "1"));

  private static ActionOutcome ended(String name, ActionStatus status) {
    return ActionOutcome.newBuilder()
        .setActionId("create-" + name)
        .setResourceName(name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setStatus(status)
        .build();
  }

  @Test
  void aSkippedActionPointsOnlyAtThePrerequisiteThatFailedNotAtOnesThatSucceeded()
      throws Exception {
    ApplyGraph graph =
        ApplyGraph.of(
            plan,
            List.of(
                ended("a", ActionStatus.ACTION_STATUS_SUCCESS),
                ended("b", ActionStatus.ACTION_STATUS_COMPENSATED),
                ended("c", ActionStatus.ACTION_STATUS_SKIPPED),
                ended("d", ActionStatus.ACTION_STATUS_SKIPPED)));

    assertThat(graph.applied()).isTrue();
    assertThat(graph.nodes())
        .extracting(ApplyGraph.Node::status)
        .containsExactly("SUCCESS", "COMPENSATED", "SKIPPED", "SKIPPED");
    assertThat(graph.edges())
        .containsExactly(
            new ApplyGraph.Edge("create-a", "create-b", ApplyGraph.EdgeKind.DEPENDS),
            new ApplyGraph.Edge("create-b", "create-c", ApplyGraph.EdgeKind.DEPENDS),
            new ApplyGraph.Edge("create-b", "create-c", ApplyGraph.EdgeKind.SKIPPED_BECAUSE));
  }

  @Test
  void whatTheRollbackUndidPointsBackAtTheFailureThatCausedIt() throws Exception {
    ApplyGraph graph =
        ApplyGraph.of(
            plan,
            List.of(
                ended("a", ActionStatus.ACTION_STATUS_COMPENSATED).toBuilder()
                    .setCompensation(
                        io.compensa.proto.v1.CompensationDetail.newBuilder().setRollback(true))
                    .build(),
                ended("b", ActionStatus.ACTION_STATUS_COMPENSATION_FAILED).toBuilder()
                    .setCompensation(
                        io.compensa.proto.v1.CompensationDetail.newBuilder()
                            .setRollback(true)
                            .setBlockedBy("c"))
                    .build(),
                ended("c", ActionStatus.ACTION_STATUS_ERROR),
                ended("d", ActionStatus.ACTION_STATUS_SKIPPED)));

    assertThat(graph.edges())
        .contains(
            new ApplyGraph.Edge("create-c", "create-a", ApplyGraph.EdgeKind.ROLLED_BACK_BECAUSE))
        .contains(new ApplyGraph.Edge("create-c", "create-b", ApplyGraph.EdgeKind.BLOCKED))
        .doesNotContain(
            new ApplyGraph.Edge("create-c", "create-b", ApplyGraph.EdgeKind.ROLLED_BACK_BECAUSE));
  }

  @Test
  void aPlanNotAppliedIsPlannedAndOutcomesOfUnknownActionsAreRefused() throws Exception {
    assertThat(ApplyGraph.of(plan, List.of()).nodes())
        .extracting(ApplyGraph.Node::status)
        .containsOnly("PLANNED");
    assertThatThrownBy(
            () -> ApplyGraph.of(plan, List.of(ended("zz", ActionStatus.ACTION_STATUS_SUCCESS))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("action \"create-zz\", which plan p does not have");
  }
}
