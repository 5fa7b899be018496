package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.delete;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.update;
import static io.compensa.host.testing.PluginWorld.worldJson;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATION_FAILED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_DELETE_FAILED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_ERROR;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SKIPPED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver errors, the three failure policies, the rollback cascade and FinalizeApply, through real
 * plugin processes (the scenario plugin and the credentials sample). Every expectation is written
 * out from docs/compensation.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplyPoliciesTest {
  @TempDir static Path dir;
  private PluginWorld world;

  @BeforeAll
  void launch() throws Exception {
    world = PluginWorld.launch(dir, true, true);
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void noInjection() throws Exception {
    world.inject(Map.of());
    world.flushFailAfter(-1);
  }

  private static List<io.compensa.proto.v1.ActionStatus> statuses(ApplyResult result) {
    return result.outcomes().stream().map(ActionOutcome::getStatus).toList();
  }

  private ResourceState seed(Path stateFile, String name, String type, String value)
      throws Exception {
    ApplyResult seeded =
        world.apply(
            stateFile,
            plan("seed-" + name, create(name, type, value)),
            options(FailurePolicy.STOP, 1, List.of()).build());
    assertThat(statuses(seeded)).containsExactly(ACTION_STATUS_SUCCESS);
    return PluginWorld.entries(stateFile).get(name);
  }

  // ---- driver errors ----

  @Test
  void aCreateDriverErrorIsErrorCreatesNothingAndItsDependentsAreSkippedNamingIt()
      throws Exception {
    Path stateFile = world.newStateFile("create-error");
    world.inject("Create:de_base");

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "create-error",
                create("de_base", "t_inverse", "v"),
                create("de_child", "t_inverse", "v", "de_base"),
                create("de_grandchild", "t_inverse", "v", "de_child")),
            options(FailurePolicy.CONTINUE, 2, List.of()).build());

    assertThat(statuses(result))
        .containsExactly(ACTION_STATUS_ERROR, ACTION_STATUS_SKIPPED, ACTION_STATUS_SKIPPED);
    assertThat(result.outcomes().get(0).getDriverError())
        .contains("injected failure of Create for de_base");
    assertThat(result.outcomes().get(1).getSkipReason())
        .isEqualTo("dependency \"de_base\" ended ERROR");
    assertThat(result.outcomes().get(2).getSkipReason())
        .isEqualTo("dependency \"de_child\" ended SKIPPED");
    assertThat(world.world("de_")).isEmpty();
    assertThat(PluginWorld.entries(stateFile)).isEmpty();
  }

  @Test
  void aFailedDeleteIsDeleteFailedAndKeepsTheResourceAndItsStateEntry() throws Exception {
    Path stateFile = world.newStateFile("delete-error");
    ResourceState kept = seed(stateFile, "df_kept", "t_inverse", "v1");
    StateSnapshot before = PluginWorld.state(stateFile);
    world.inject("Delete:df_kept");

    ApplyResult result =
        world.apply(
            stateFile,
            plan("delete-error", delete(kept)),
            options(FailurePolicy.STOP, 1, List.of()).build());

    assertThat(statuses(result)).containsExactly(ACTION_STATUS_DELETE_FAILED);
    assertThat(result.outcomes().get(0).getDriverError())
        .contains("injected failure of Delete for df_kept");
    assertThat(world.worldOf("df_kept")).containsOnlyKeys(kept.getOutput().getProviderId());
    assertThat(world.worldOf("df_kept").get(kept.getOutput().getProviderId()))
        .isEqualTo(worldJson("v1"));
    assertThat(PluginWorld.entries(stateFile)).containsEntry("df_kept", kept);
    assertThat(PluginWorld.state(stateFile).getResourcesList())
        .isEqualTo(before.getResourcesList());
  }

  @Test
  void aFailedUpdateDeletesNothingWorldAndStateUnchanged() throws Exception {
    Path stateFile = world.newStateFile("update-error");
    ResourceState prior = seed(stateFile, "uf_res", "t_inverse", "v1");
    world.inject("Update:uf_res");

    ApplyResult result =
        world.apply(
            stateFile,
            plan("update-error", update(prior, "v2")),
            options(FailurePolicy.ROLLBACK, 1, List.of()).build());

    assertThat(statuses(result)).containsExactly(ACTION_STATUS_ERROR);
    assertThat(result.outcomes().get(0).getDriverError())
        .contains("injected failure of Update for uf_res");
    assertThat(world.worldOf("uf_res")).containsOnlyKeys(prior.getOutput().getProviderId());
    assertThat(world.worldOf("uf_res").get(prior.getOutput().getProviderId()))
        .isEqualTo(worldJson("v1"));
    assertThat(PluginWorld.entries(stateFile))
        .containsOnlyKeys("uf_res")
        .containsEntry("uf_res", prior);
  }

  // ---- failure policies on two independent branches: b1 -> b2 and a1 -> a2, a1 fails ----

  private Plan branches(String prefix) {
    return plan(
        "branches-" + prefix,
        create(prefix + "b1", "t_inverse", "v"),
        create(prefix + "a1", "t_inverse", "v"),
        create(prefix + "b2", "t_inverse", "v", prefix + "b1"),
        create(prefix + "a2", "t_inverse", "v", prefix + "a1"));
  }

  @Test
  void stopLetsNothingNewStartAfterTheFirstFailureAndSkipsTheRest() throws Exception {
    Path stateFile = world.newStateFile("stop");
    world.inject("Create:ps_a1");

    ApplyResult result =
        world.apply(stateFile, branches("ps_"), options(FailurePolicy.STOP, 1, List.of()).build());

    assertThat(statuses(result))
        .containsExactly(
            ACTION_STATUS_SUCCESS,
            ACTION_STATUS_ERROR,
            ACTION_STATUS_SKIPPED,
            ACTION_STATUS_SKIPPED);
    assertThat(result.outcomes().get(2).getSkipReason())
        .isEqualTo("the apply stopped after \"ps_a1\" ended ERROR");
    assertThat(result.outcomes().get(3).getSkipReason())
        .isEqualTo("dependency \"ps_a1\" ended ERROR");
    assertThat(world.world("ps_").keySet()).singleElement().asString().startsWith("ps_b1-");
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("ps_b1");
  }

  @Test
  void continueRunsTheIndependentBranchAndSkipsOnlyTheDependentsOfTheFailure() throws Exception {
    Path stateFile = world.newStateFile("continue");
    world.inject("Create:pc_a1");

    ApplyResult result =
        world.apply(
            stateFile, branches("pc_"), options(FailurePolicy.CONTINUE, 1, List.of()).build());

    assertThat(statuses(result))
        .containsExactly(
            ACTION_STATUS_SUCCESS,
            ACTION_STATUS_ERROR,
            ACTION_STATUS_SUCCESS,
            ACTION_STATUS_SKIPPED);
    assertThat(result.outcomes().get(3).getSkipReason())
        .isEqualTo("dependency \"pc_a1\" ended ERROR");
    assertThat(world.worldOf("pc_b1")).hasSize(1);
    assertThat(world.worldOf("pc_b2")).hasSize(1);
    assertThat(world.world("pc_")).hasSize(2);
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("pc_b1", "pc_b2");
  }

  @Test
  void rollbackCompensatesWhatSucceededSoTheWorldIsAsBefore() throws Exception {
    Path stateFile = world.newStateFile("rollback");
    world.inject("Create:pr_a1");

    ApplyResult result =
        world.apply(
            stateFile, branches("pr_"), options(FailurePolicy.ROLLBACK, 1, List.of()).build());

    assertThat(statuses(result))
        .containsExactly(
            ACTION_STATUS_COMPENSATED,
            ACTION_STATUS_ERROR,
            ACTION_STATUS_SKIPPED,
            ACTION_STATUS_SKIPPED);
    ActionOutcome b1 = result.outcomes().get(0);
    assertThat(b1.getCompensation().getCompensator()).isEqualTo(Compensator.COMPENSATOR_HOST);
    assertThat(b1.getCompensation().getDetail())
        .startsWith("rollback: deleted the created resource");
    assertThat(world.world("pr_")).isEmpty();
    assertThat(PluginWorld.entries(stateFile)).isEmpty();
  }

  @Test
  void rollbackCascadeOnAChainWhoseMiddleIsNotCompensableBlocksTheBottomNamingTheMiddle()
      throws Exception {
    // bottom <- middle <- top; middle is t_none (not compensable); top's hook fails; policy
    // rollback.
    // Expected, from docs/compensation.md:
    //   top    COMPENSATED (its own hook failed; HOST_INVERSE Delete)      world: gone   state: no
    // entry
    //   middle COMPENSATION_FAILED "not compensable" (rollback)            world: exists state:
    // entry, needs attention
    //   bottom COMPENSATION_FAILED, blocked_by "middle" (not torn down)    world: exists state:
    // entry, needs attention
    Path stateFile = world.newStateFile("cascade");

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "cascade",
                create("bottom", "t_inverse", "b"),
                create("middle", "t_none", "m", "bottom"),
                create("top", "t_inverse", "t", "middle")),
            options(FailurePolicy.ROLLBACK, 2, List.of("top")).build());

    ActionOutcome bottom = result.outcomes().get(0);
    ActionOutcome middle = result.outcomes().get(1);
    ActionOutcome top = result.outcomes().get(2);
    assertThat(top.getStatus()).as(top.toString()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(top.getHookError()).contains("smoke test failed for top");
    assertThat(top.getCompensation().getCall()).isEqualTo("Delete");
    assertThat(middle.getStatus())
        .as(middle.toString())
        .isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(middle.getCompensation().getDetail()).contains("not compensable");
    assertThat(middle.getCompensation().getBlockedBy()).isEmpty();
    assertThat(bottom.getStatus())
        .as(bottom.toString())
        .isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(bottom.getCompensation().getBlockedBy()).isEqualTo("middle");
    assertThat(bottom.getCompensation().getDetail()).contains("blocked by middle");

    assertThat(world.worldOf("top")).isEmpty();
    assertThat(world.worldOf("middle")).hasSize(1);
    assertThat(world.worldOf("middle").values().iterator().next()).isEqualTo(worldJson("m"));
    assertThat(world.worldOf("bottom")).hasSize(1);
    assertThat(world.worldOf("bottom").values().iterator().next()).isEqualTo(worldJson("b"));

    Map<String, ResourceState> entries = PluginWorld.entries(stateFile);
    assertThat(entries).containsOnlyKeys("bottom", "middle");
    assertThat(entries.get("middle").getNeedsAttention()).isTrue();
    assertThat(entries.get("middle").getOutput().getProviderId())
        .isEqualTo(world.worldOf("middle").keySet().iterator().next());
    assertThat(entries.get("bottom").getNeedsAttention()).isTrue();
    assertThat(entries.get("bottom").getAttentionReason()).contains("middle");
    assertThat(entries.get("bottom").getOutput().getProviderId())
        .isEqualTo(world.worldOf("bottom").keySet().iterator().next());
  }

  // ---- FinalizeApply ----

  private static JsonArray finalizedStatuses(JsonElement record) {
    JsonArray statuses = new JsonArray();
    for (JsonElement outcome : record.getAsJsonArray()) {
      statuses.add(outcome.getAsJsonObject().get("status"));
    }
    return statuses;
  }

  @Test
  void finalizeApplyRunsAfterNonFatalErrorsWithThoseOutcomes() throws Exception {
    Path stateFile = world.newStateFile("finalize-after-errors");
    world.inject("Create:fe_broken");

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "finalize-after-errors",
                create("fe_broken", "t_inverse", "v"),
                create("fe_fine", "t_inverse", "v")),
            options(FailurePolicy.CONTINUE, 1, List.of()).build());

    assertThat(statuses(result)).containsExactly(ACTION_STATUS_ERROR, ACTION_STATUS_SUCCESS);
    JsonElement record = world.finalized("finalize-after-errors");
    assertThat(record).as("FinalizeApply was called").isNotNull();
    assertThat(finalizedStatuses(record).toString()).isEqualTo("[\"ERROR\",\"SUCCESS\"]");
  }

  @Test
  void finalizeApplyRunsOnAnEmptyPlan() throws Exception {
    Path stateFile = world.newStateFile("finalize-empty");

    ApplyResult result =
        world.apply(
            stateFile, plan("finalize-empty"), options(FailurePolicy.STOP, 1, List.of()).build());

    assertThat(result.outcomes()).isEmpty();
    assertThat(result.problems()).isEmpty();
    assertThat(world.finalized("finalize-empty")).as("FinalizeApply was called").isNotNull();
    assertThat(world.finalized("finalize-empty").getAsJsonArray()).isEmpty();
  }

  @Test
  void finalizeApplyDoesNotRunWhenValidationRefusesThePlan() throws Exception {
    Path stateFile = world.newStateFile("finalize-refused");

    assertThatThrownBy(
            () ->
                world.apply(
                    stateFile,
                    plan(
                        "finalize-refused",
                        create("fr_twice", "t_inverse", "v"),
                        create("fr_twice", "t_inverse", "w").toBuilder()
                            .setId("create-again")
                            .build()),
                    options(FailurePolicy.STOP, 1, List.of()).build()))
        .isInstanceOf(InvalidPlanException.class);

    assertThat(world.finalized("finalize-refused")).as("FinalizeApply must not run").isNull();
    assertThat(world.world("fr_")).isEmpty();
    assertThat(Files.exists(stateFile)).isFalse();
  }

  @Test
  void finalizeApplyErrorsAndFailuresAreProblemsAndChangeNoStatus() throws Exception {
    Path stateFile = world.newStateFile("finalize-errors");
    world.inject(Map.of("finalize_errors", List.of("deferred flush exploded")));

    ApplyResult result =
        world.apply(
            stateFile,
            plan("finalize-errors", create("fx_one", "t_inverse", "v")),
            options(FailurePolicy.STOP, 1, List.of()).build());

    assertThat(statuses(result)).containsExactly(ACTION_STATUS_SUCCESS);
    assertThat(result.problems())
        .containsExactly("plugin \"scenario\" FinalizeApply: deferred flush exploded");
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("fx_one");
    assertThat(world.worldOf("fx_one")).hasSize(1);

    world.inject(Map.of("finalize_fail", List.of("finalizer crashed")));
    ApplyResult failed =
        world.apply(
            stateFile,
            plan("finalize-fails", create("fx_two", "t_inverse", "v")),
            options(FailurePolicy.STOP, 1, List.of()).build());

    assertThat(statuses(failed)).containsExactly(ACTION_STATUS_SUCCESS);
    assertThat(failed.problems())
        .singleElement()
        .asString()
        .startsWith("plugin \"scenario\" FinalizeApply failed:")
        .contains("finalizer crashed");
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("fx_one", "fx_two");
  }

  private static Struct rules(String... rules) {
    ListValue.Builder list = ListValue.newBuilder();
    for (String rule : rules) {
      list.addValues(Value.newBuilder().setStringValue(rule));
    }
    return Struct.newBuilder()
        .putFields("rules", Value.newBuilder().setListValue(list).build())
        .build();
  }

  @Test
  void aPartialFlushRolledBackByTheCredentialsPluginAmendsBothRuleSetActionsToCompensated()
      throws Exception {
    Path stateFile = world.newStateFile("flush-fail");
    world.apply(
        stateFile,
        plan("flush-seed", create("ff_existing", "cred_rule_set", rules("allow tcp 22"))),
        options(FailurePolicy.STOP, 1, List.of()).build());
    JsonObject rulesBefore = world.cloud().getAsJsonObject("rules").deepCopy();
    assertThat(rulesBefore.has("ff_existing")).isTrue();
    world.flushFailAfter(1);

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "flush-fail",
                create("ff_one", "cred_rule_set", rules("allow tcp 443")),
                create("ff_two", "cred_rule_set", rules("allow tcp 80"))),
            options(FailurePolicy.STOP, 1, List.of()).build());
    world.flushFailAfter(-1);

    assertThat(statuses(result))
        .containsExactly(ACTION_STATUS_COMPENSATED, ACTION_STATUS_COMPENSATED);
    for (ActionOutcome outcome : result.outcomes()) {
      assertThat(outcome.getCompensation().getCompensator())
          .isEqualTo(Compensator.COMPENSATOR_PLUGIN_SELF);
      assertThat(outcome.getCompensation().getCall()).isEqualTo("FinalizeApply");
      assertThat(outcome.getCompensation().getDetail()).contains("rolled the whole batch back");
    }
    assertThat(result.problems())
        .anySatisfy(p -> assertThat(p).contains("rule-set flush failed and was rolled back"));
    assertThat(world.cloud().getAsJsonObject("rules"))
        .as("cloud rules unchanged")
        .isEqualTo(rulesBefore);
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("ff_existing");
  }

  @Test
  void amendmentsForUnknownForeignOrNonSuccessActionsAreRefusedReportedAndChangeNothing()
      throws Exception {
    Path stateFile = world.newStateFile("amend-refused");
    world.inject(
        Map.of(
            "fail", List.of("Create:am_broken"),
            "finalize_amend", List.of("ghost-action", "create-am_rules", "create-am_broken")));

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "amend-refused",
                create("am_broken", "t_inverse", "v"),
                create("am_fine", "t_inverse", "v"),
                create("am_rules", "cred_rule_set", rules("allow udp 53"))),
            options(FailurePolicy.CONTINUE, 1, List.of()).build());

    assertThat(statuses(result))
        .containsExactly(ACTION_STATUS_ERROR, ACTION_STATUS_SUCCESS, ACTION_STATUS_SUCCESS);
    assertThat(result.problems())
        .contains(
            "plugin \"scenario\" FinalizeApply amendment refused: it names unknown action \"ghost-action\"",
            "plugin \"scenario\" FinalizeApply amendment refused: action \"create-am_rules\" belongs to another plugin");
    assertThat(result.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "plugin \"scenario\" FinalizeApply amendment refused: action \"create-am_broken\" ended")
                    .contains("not SUCCESS"));
    assertThat(result.problems()).hasSize(3);
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("am_fine", "am_rules");
    assertThat(world.worldOf("am_fine")).hasSize(1);
    assertThat(world.cloud().getAsJsonObject("rules").has("am_rules")).isTrue();
  }
}
