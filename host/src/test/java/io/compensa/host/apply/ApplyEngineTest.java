package io.compensa.host.apply;

import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATION_FAILED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_DELETE_FAILED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_ERROR;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SKIPPED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SUCCESS;
import static io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE;
import static io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_NONE;
import static io.compensa.proto.v1.CompensationPolicy.COMPENSATION_POLICY_PLUGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.OutcomeAmendment;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against an in-memory plugin: statuses, world and state per the outcome table
 * (docs/compensation.md).
 */
class ApplyEngineTest {
  @TempDir Path dir;
  private final Set<String> failingHooks = ConcurrentHashMap.newKeySet();

  private FakePlugin plugin(CompensationPolicy policy) {
    return new FakePlugin("thing", policy, policy, policy);
  }

  private ApplyResult apply(FakePlugin plugin, Plan plan, FailurePolicy policy) throws Exception {
    ApplyOptions options =
        ApplyOptions.builder()
            .failurePolicy(policy)
            .parallelism(2)
            .hook(
                context -> {
                  if (failingHooks.contains(context.action().getResource().getName())) {
                    throw new IllegalStateException(
                        "smoke test failed for " + context.action().getResource().getName());
                  }
                })
            .build();
    return new ApplyEngine(
            new PluginRouter(List.of(plugin)), store(), secrets(), options, new ApplyListener() {})
        .apply(plan, "test");
  }

  private FileStateStore store() {
    return new FileStateStore(dir.resolve("state.json"));
  }

  private FileSecretStore secrets() {
    return new FileSecretStore(dir.resolve("secrets.json"));
  }

  private StateSnapshot state() throws Exception {
    return store().read();
  }

  private static PlanAction create(String name, String... deps) {
    return PlanAction.newBuilder()
        .setId("create-" + name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(name)
                .setType("thing")
                .setConfig(FakePlugin.config("v", "1"))
                .addAllDependsOn(List.of(deps)))
        .build();
  }

  private static Plan plan(PlanAction... actions) {
    return Plan.newBuilder().setId("plan-1").addAllActions(List.of(actions)).build();
  }

  private static ActionStatus status(ApplyResult result, String name) {
    return result.outcomes().stream()
        .filter(o -> o.getResourceName().equals(name))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  private static ActionOutcome outcome(ApplyResult result, String name) {
    return result.outcomes().stream()
        .filter(o -> o.getResourceName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void createThenEveryHookSucceedsRecordsTheNewState() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    ApplyResult result = apply(plugin, plan(create("a"), create("b", "a")), FailurePolicy.STOP);
    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ACTION_STATUS_SUCCESS);
    assertThat(plugin.world).hasSize(2);
    assertThat(state().getResourcesList())
        .extracting(ResourceState::getName)
        .containsExactly("a", "b");
    assertThat(plugin.calls).containsSubsequence("Create:a", "Create:b");
    assertThat(result.allSucceeded()).isTrue();
  }

  @Test
  void hookFailureAfterCreateDeletesTheResource() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    failingHooks.add("a");
    ApplyResult result = apply(plugin, plan(create("a")), FailurePolicy.STOP);
    ActionOutcome a = outcome(result, "a");
    assertThat(a.getStatus()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(a.getHookError()).contains("smoke test failed for a");
    assertThat(a.getCompensation().getCall()).isEqualTo("Delete");
    assertThat(plugin.world).isEmpty();
    assertThat(state().getResourcesList()).isEmpty();
  }

  @Test
  void hookFailureAfterCreateWithFailingInverseKeepsTheResourceFlagged() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE).failing("DeleteBack", "a");
    failingHooks.add("a");
    ApplyResult result = apply(plugin, plan(create("a")), FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(plugin.world).hasSize(1);
    assertThat(state().getResources(0).getNeedsAttention()).isTrue();
    assertThat(state().getResources(0).getOutput().getProviderId())
        .isEqualTo(plugin.world.keySet().iterator().next());
  }

  @Test
  void hookFailureOnANoneCompensableCreateIsNotCompensable() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_NONE);
    failingHooks.add("a");
    ApplyResult result = apply(plugin, plan(create("a")), FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(outcome(result, "a").getCompensation().getDetail()).isEqualTo("not compensable");
    assertThat(plugin.world).hasSize(1);
    assertThat(state().getResources(0).getNeedsAttention()).isTrue();
  }

  @Test
  void hookFailureOnAPluginCompensatedCreateRecordsThePluginsAnswer() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_PLUGIN);
    failingHooks.add("a");
    ApplyResult result = apply(plugin, plan(create("a")), FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(outcome(result, "a").getCompensation().getCall()).isEqualTo("Compensate");
    assertThat(plugin.world).isEmpty();
    assertThat(state().getResourcesList()).isEmpty();
  }

  @Test
  void driverErrorSkipsDependentsAndStopsTheRest() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE).failing("Create", "a");
    ApplyResult result =
        apply(plugin, plan(create("a"), create("b", "a"), create("c", "b")), FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_ERROR);
    assertThat(status(result, "b")).isEqualTo(ACTION_STATUS_SKIPPED);
    assertThat(status(result, "c")).isEqualTo(ACTION_STATUS_SKIPPED);
    assertThat(outcome(result, "b").getSkipReason()).contains("\"a\"");
    assertThat(plugin.world).isEmpty();
  }

  @Test
  void continuePolicyRunsIndependentBranches() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE).failing("Create", "a");
    ApplyResult result =
        apply(
            plugin,
            plan(create("a"), create("b", "a"), create("x"), create("y", "x")),
            FailurePolicy.CONTINUE);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_ERROR);
    assertThat(status(result, "b")).isEqualTo(ACTION_STATUS_SKIPPED);
    assertThat(status(result, "x")).isEqualTo(ACTION_STATUS_SUCCESS);
    assertThat(status(result, "y")).isEqualTo(ACTION_STATUS_SUCCESS);
  }

  @Test
  void rollbackOfAChainWhoseMiddleIsNotCompensableBlocksTheBottom() throws Exception {
    // top depends on middle depends on bottom; an independent "fails" errors, then the rollback
    // runs.
    FakePlugin plugin =
        new FakePlugin(
            "thing",
            COMPENSATION_POLICY_HOST_INVERSE,
            COMPENSATION_POLICY_HOST_INVERSE,
            COMPENSATION_POLICY_HOST_INVERSE);
    FakePlugin none =
        new FakePlugin(
            "pinned", COMPENSATION_POLICY_NONE, COMPENSATION_POLICY_NONE, COMPENSATION_POLICY_NONE);
    PlanAction middle =
        create("middle", "bottom").toBuilder()
            .setResource(create("middle", "bottom").getResource().toBuilder().setType("pinned"))
            .build();
    PlanAction fails = create("fails", "top");
    plugin.failing("Create", "fails");
    ApplyOptions options = ApplyOptions.builder().failurePolicy(FailurePolicy.ROLLBACK).build();
    ApplyResult result =
        new ApplyEngine(
                new PluginRouter(List.of(plugin, none)),
                store(),
                secrets(),
                options,
                new ApplyListener() {})
            .apply(plan(create("bottom"), middle, create("top", "middle"), fails), "test");
    assertThat(status(result, "fails")).isEqualTo(ACTION_STATUS_ERROR);
    assertThat(status(result, "top")).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(status(result, "middle")).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(outcome(result, "middle").getCompensation().getDetail()).contains("not compensable");
    assertThat(status(result, "bottom")).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(outcome(result, "bottom").getCompensation().getBlockedBy()).isEqualTo("middle");
    assertThat(plugin.world).hasSize(1); // bottom stays, top was deleted
    assertThat(none.world).hasSize(1); // middle stays
    assertThat(state().getResourcesList())
        .extracting(ResourceState::getName)
        .containsExactly("bottom", "middle");
  }

  @Test
  void rollbackOfALongChainBlocksEveryLinkBelowTheOneThatCouldNotBeUndone() throws Exception {
    // link0 <- link1 <- ... <- link299 <- fails; link298 is not compensable: the rollback undoes
    // link299, cannot undo link298, and every link below stays, each blocked by the one above it
    int links = 300;
    FakePlugin plugin =
        new FakePlugin(
            "thing",
            COMPENSATION_POLICY_HOST_INVERSE,
            COMPENSATION_POLICY_HOST_INVERSE,
            COMPENSATION_POLICY_HOST_INVERSE);
    FakePlugin none =
        new FakePlugin(
            "pinned", COMPENSATION_POLICY_NONE, COMPENSATION_POLICY_NONE, COMPENSATION_POLICY_NONE);
    List<PlanAction> actions = new ArrayList<>();
    for (int i = 0; i < links; i++) {
      PlanAction link = i == 0 ? create("link0") : create("link" + i, "link" + (i - 1));
      if (i == links - 2) {
        link =
            link.toBuilder().setResource(link.getResource().toBuilder().setType("pinned")).build();
      }
      actions.add(link);
    }
    actions.add(create("fails", "link" + (links - 1)));
    plugin.failing("Create", "fails");
    ApplyResult result =
        new ApplyEngine(
                new PluginRouter(List.of(plugin, none)),
                store(),
                secrets(),
                ApplyOptions.builder()
                    .failurePolicy(FailurePolicy.ROLLBACK)
                    .journal(new FileJournal(dir.resolve("state.json")))
                    .build(),
                new ApplyListener() {})
            .apply(plan(actions.toArray(PlanAction[]::new)), "test");

    assertThat(status(result, "fails")).isEqualTo(ACTION_STATUS_ERROR);
    assertThat(status(result, "link" + (links - 1))).isEqualTo(ACTION_STATUS_COMPENSATED);
    ActionOutcome pinned = outcome(result, "link" + (links - 2));
    assertThat(pinned.getStatus()).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(pinned.getCompensation().getBlockedBy()).isEmpty();
    for (int i = 0; i < links - 2; i++) {
      ActionOutcome link = outcome(result, "link" + i);
      assertThat(link.getStatus()).as("link%d", i).isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
      assertThat(link.getCompensation().getBlockedBy()).isEqualTo("link" + (i + 1));
      assertThat(link.getCompensation().getDetail())
          .isEqualTo(
              "blocked by link"
                  + (i + 1)
                  + ": it could not be compensated and depends on this resource");
    }
    assertThat(plugin.world).hasSize(links - 2); // every link below the pinned one stays
    assertThat(none.world).hasSize(1);
    assertThat(state().getResourcesList()).hasSize(links - 1);
  }

  @Test
  void failedDeleteKeepsTheState() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    apply(plugin, plan(create("a")), FailurePolicy.STOP);
    plugin.failing("Delete", "a");
    PlanAction delete =
        PlanAction.newBuilder()
            .setId("delete-a")
            .setKind(ActionKind.ACTION_KIND_DELETE)
            .setResource(ResourceSpec.newBuilder().setName("a").setType("thing"))
            .build();
    ApplyResult result =
        apply(
            plugin,
            Plan.newBuilder().setId("plan-2").addActions(delete).build(),
            FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_DELETE_FAILED);
    assertThat(state().getResourcesList()).hasSize(1);
    assertThat(plugin.world).hasSize(1);
  }

  @Test
  void hookFailureAfterDeleteRecreatesWithANewProviderId() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    apply(plugin, plan(create("a")), FailurePolicy.STOP);
    String oldId = state().getResources(0).getOutput().getProviderId();
    failingHooks.add("a");
    PlanAction delete =
        PlanAction.newBuilder()
            .setId("delete-a")
            .setKind(ActionKind.ACTION_KIND_DELETE)
            .setResource(ResourceSpec.newBuilder().setName("a").setType("thing"))
            .build();
    ApplyResult result =
        apply(
            plugin,
            Plan.newBuilder().setId("plan-2").addActions(delete).build(),
            FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_COMPENSATED);
    String newId = state().getResources(0).getOutput().getProviderId();
    assertThat(newId).isNotEqualTo(oldId);
    assertThat(plugin.world).containsOnlyKeys(newId);
  }

  @Test
  void finalizeAmendmentTurnsSuccessIntoCompensatedAndRestoresTheState() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    plugin.finalizer =
        request ->
            FinalizeApplyResponse.newBuilder()
                .addAmendments(
                    OutcomeAmendment.newBuilder()
                        .setActionId("create-a")
                        .setStatus(ACTION_STATUS_COMPENSATED)
                        .setDetail("flush rolled back"))
                .addAmendments(
                    OutcomeAmendment.newBuilder()
                        .setActionId("nope")
                        .setStatus(ACTION_STATUS_COMPENSATED))
                .build();
    ApplyResult result = apply(plugin, plan(create("a"), create("b")), FailurePolicy.STOP);
    assertThat(status(result, "a")).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(status(result, "b")).isEqualTo(ACTION_STATUS_SUCCESS);
    assertThat(result.problems()).anyMatch(p -> p.contains("unknown action \"nope\""));
    assertThat(state().getResourcesList()).extracting(ResourceState::getName).containsExactly("b");
  }

  @Test
  void finalizeRunsForAnEmptyPlanButNotForARefusedOne() throws Exception {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    apply(plugin, plan(), FailurePolicy.STOP);
    assertThat(plugin.calls).containsExactly("FinalizeApply");
    plugin.calls.clear();
    assertThatThrownBy(() -> apply(plugin, plan(create("a", "ghost")), FailurePolicy.STOP))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("\"a\" depends on \"ghost\"");
    assertThat(plugin.calls).isEmpty();
  }

  @Test
  void aCycleIsRefusedAndNamed() {
    FakePlugin plugin = plugin(COMPENSATION_POLICY_HOST_INVERSE);
    assertThatThrownBy(
            () ->
                apply(
                    plugin,
                    plan(create("a", "c"), create("b", "a"), create("c", "b")),
                    FailurePolicy.STOP))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("cycle")
        .hasMessageMatching("(?s).*(a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c).*");
    assertThat(plugin.calls).isEmpty();
  }
}
