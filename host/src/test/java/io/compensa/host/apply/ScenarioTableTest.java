package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.delete;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.replace;
import static io.compensa.host.testing.PluginWorld.update;
import static io.compensa.host.testing.PluginWorld.worldJson;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_COMPENSATION_FAILED;
import static io.compensa.proto.v1.ActionStatus.ACTION_STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outcome table of docs/compensation.md, row by row, through real plugin processes: a
 * post-driver hook fails after the driver succeeded, and the status, the message, the world (files
 * of the scenario plugin, the credentials sample's cloud file) and the state file all say what the
 * table says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioTableTest {
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

  /** What the world holds for the resource afterwards. */
  enum World {
    /** No file for the resource. */
    NOTHING,
    /** One file: the new config under the provider id the driver returned. */
    NEW_CONFIG,
    /** One file: the old config under the old provider id. */
    OLD_CONFIG_SAME_ID,
    /**
     * One file: the old config under a provider id that is neither the old one nor the driver's.
     */
    OLD_CONFIG_FRESH_ID
  }

  /**
   * One row: a kind, a type (its policy), an optional injected failure of the compensation, the
   * expectation.
   */
  record Row(
      ActionKind kind,
      String type,
      String inject,
      ActionStatus status,
      String message,
      Compensator by,
      String call,
      World world,
      boolean entry,
      boolean flagged) {
    @Override
    public String toString() {
      return kind.name().substring(12)
          + " x "
          + type
          + (inject.isEmpty() ? "" : " (" + inject + " fails)");
    }
  }

  static Stream<Arguments> hookFailureRows() {
    ActionStatus ok = ACTION_STATUS_COMPENSATED;
    ActionStatus failed = ACTION_STATUS_COMPENSATION_FAILED;
    Compensator host = Compensator.COMPENSATOR_HOST;
    Compensator plugin = Compensator.COMPENSATOR_PLUGIN;
    Compensator none = Compensator.COMPENSATOR_UNSPECIFIED;
    ActionKind c = ActionKind.ACTION_KIND_CREATE;
    ActionKind u = ActionKind.ACTION_KIND_UPDATE;
    ActionKind d = ActionKind.ACTION_KIND_DELETE;
    ActionKind r = ActionKind.ACTION_KIND_REPLACE;
    return Stream.of(
            // CREATE: NONE keeps it (flagged); HOST_INVERSE deletes it; PLUGIN compensates
            new Row(
                c, "t_none", "", failed, "not compensable", none, "", World.NEW_CONFIG, true, true),
            new Row(
                c,
                "t_inverse",
                "",
                ok,
                "deleted the created resource",
                host,
                "Delete",
                World.NOTHING,
                false,
                false),
            new Row(
                c,
                "t_plugin",
                "",
                ok,
                "deleted",
                plugin,
                "Compensate",
                World.NOTHING,
                false,
                false),
            // UPDATE: NONE keeps the new config (flagged); the others put the prior config back
            // under the same id
            new Row(
                u, "t_none", "", failed, "not compensable", none, "", World.NEW_CONFIG, true, true),
            new Row(
                u,
                "t_inverse",
                "",
                ok,
                "updated back to the prior configuration",
                host,
                "Update",
                World.OLD_CONFIG_SAME_ID,
                true,
                false),
            new Row(
                u,
                "t_plugin",
                "",
                ok,
                "restored",
                plugin,
                "Compensate",
                World.OLD_CONFIG_SAME_ID,
                true,
                false),
            // DELETE: NONE leaves it gone with no entry; the others recreate it with a NEW provider
            // id
            new Row(
                d, "t_none", "", failed, "not compensable", none, "", World.NOTHING, false, false),
            new Row(
                d,
                "t_inverse",
                "",
                ok,
                "recreated from the prior configuration",
                host,
                "Create",
                World.OLD_CONFIG_FRESH_ID,
                true,
                false),
            new Row(
                d,
                "t_plugin",
                "",
                ok,
                "recreated",
                plugin,
                "Compensate",
                World.OLD_CONFIG_FRESH_ID,
                true,
                false),
            // REPLACE (delete first): NONE names the half that remains; the others give the old
            // config a new id
            new Row(
                r,
                "t_none",
                "",
                failed,
                "the new resource",
                none,
                "",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                r,
                "t_inverse",
                "",
                ok,
                "deleted the new resource and recreated the old one",
                host,
                "Delete, Create",
                World.OLD_CONFIG_FRESH_ID,
                true,
                false),
            new Row(
                r,
                "t_plugin",
                "",
                ok,
                "recreated",
                plugin,
                "Compensate",
                World.OLD_CONFIG_FRESH_ID,
                true,
                false),
            // the inverse call fails: COMPENSATION_FAILED, the record shows what really exists,
            // flagged
            new Row(
                c,
                "t_inverse",
                "DeleteInverse",
                failed,
                "the inverse Delete failed",
                host,
                "Delete",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                u,
                "t_inverse",
                "UpdateInverse",
                failed,
                "the Update back to the prior configuration failed",
                host,
                "Update",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                d,
                "t_inverse",
                "CreateInverse",
                failed,
                "recreating the deleted resource failed",
                host,
                "Create",
                World.NOTHING,
                false,
                false),
            new Row(
                r,
                "t_inverse",
                "DeleteInverse",
                failed,
                "deleting the new half failed",
                host,
                "Delete, Create",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                r,
                "t_inverse",
                "CreateInverse",
                failed,
                "neither half remains",
                host,
                "Delete, Create",
                World.NOTHING,
                false,
                false),
            new Row(
                c,
                "t_plugin",
                "Compensate",
                failed,
                "Compensate failed",
                plugin,
                "Compensate",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                u,
                "t_plugin",
                "Compensate",
                failed,
                "Compensate failed",
                plugin,
                "Compensate",
                World.NEW_CONFIG,
                true,
                true),
            new Row(
                d,
                "t_plugin",
                "Compensate",
                failed,
                "Compensate failed",
                plugin,
                "Compensate",
                World.NOTHING,
                false,
                false),
            new Row(
                r,
                "t_plugin",
                "Compensate",
                failed,
                "Compensate failed",
                plugin,
                "Compensate",
                World.NEW_CONFIG,
                true,
                true))
        .map(Arguments::of);
  }

  private int rows;

  @ParameterizedTest(name = "{0}")
  @MethodSource("hookFailureRows")
  void aHookFailureAfterDriverSuccessEndsAsAppendixASaysWithWorldAndStateAgreeing(Row row)
      throws Exception {
    String name =
        "row" + (++rows) + "_" + row.kind().name().substring(12).toLowerCase() + "_" + row.type();
    Path stateFile = world.newStateFile(name);
    world.inject();
    ResourceState old = null;
    if (row.kind() != ActionKind.ACTION_KIND_CREATE) {
      ApplyResult seeded =
          world.apply(
              stateFile,
              plan("seed-" + name, create(name, row.type(), "old")),
              options(FailurePolicy.STOP, 1, List.of()).build());
      assertThat(seeded.outcomes())
          .extracting(ActionOutcome::getStatus)
          .containsExactly(ACTION_STATUS_SUCCESS);
      old = PluginWorld.entries(stateFile).get(name);
      assertThat(world.worldOf(name)).containsOnlyKeys(old.getOutput().getProviderId());
    }
    PlanAction action;
    switch (row.kind()) {
      case ACTION_KIND_CREATE:
        action = create(name, row.type(), "new");
        break;
      case ACTION_KIND_UPDATE:
        action = update(old, "new");
        break;
      case ACTION_KIND_DELETE:
        action = delete(old);
        break;
      default:
        action = replace(old, "new");
    }
    if (!row.inject().isEmpty()) {
      world.inject(row.inject() + ":" + name);
    }

    ApplyResult result =
        world.apply(
            stateFile,
            plan("apply-" + name, action),
            options(FailurePolicy.STOP, 1, List.of(name)).build());
    world.inject();

    assertThat(result.outcomes()).hasSize(1);
    ActionOutcome outcome = result.outcomes().get(0);
    String why = row + ": " + outcome;
    assertThat(outcome.getStatus()).as(why).isEqualTo(row.status());
    assertThat(outcome.getHookError()).as(why).contains("smoke test failed for " + name);
    assertThat(outcome.getCompensation().getResult()).as(why).isEqualTo(row.status());
    assertThat(outcome.getCompensation().getDetail()).as(why).contains(row.message());
    assertThat(outcome.getCompensation().getCompensator()).as(why).isEqualTo(row.by());
    assertThat(outcome.getCompensation().getCall()).as(why).isEqualTo(row.call());

    Map<String, JsonObject> files = world.worldOf(name);
    String driverId = outcome.getDriverOutput().getProviderId();
    switch (row.world()) {
      case NOTHING:
        assertThat(files).as(why).isEmpty();
        break;
      case NEW_CONFIG:
        assertThat(files).as(why).hasSize(1);
        assertThat(files.values().iterator().next()).as(why).isEqualTo(worldJson("new"));
        if (row.kind() == ActionKind.ACTION_KIND_UPDATE) {
          assertThat(files).as(why).containsOnlyKeys(old.getOutput().getProviderId());
        } else {
          assertThat(files).as(why).containsOnlyKeys(driverId);
        }
        if (row.kind() == ActionKind.ACTION_KIND_REPLACE) {
          assertThat(driverId).as(why).isNotEqualTo(old.getOutput().getProviderId());
          assertThat(outcome.getCompensation().getDetail())
              .as("which half remains: " + why)
              .contains(driverId)
              .contains("remains");
        }
        break;
      case OLD_CONFIG_SAME_ID:
        assertThat(files).as(why).containsOnlyKeys(old.getOutput().getProviderId());
        assertThat(files.values().iterator().next()).as(why).isEqualTo(worldJson("old"));
        break;
      case OLD_CONFIG_FRESH_ID:
        assertThat(files).as(why).hasSize(1);
        assertThat(files.keySet().iterator().next())
            .as("a NEW provider id: " + why)
            .isNotEqualTo(old.getOutput().getProviderId())
            .isNotEqualTo(driverId);
        assertThat(files.values().iterator().next()).as(why).isEqualTo(worldJson("old"));
        break;
      default:
        throw new AssertionError(row.world());
    }

    Map<String, ResourceState> entries = PluginWorld.entries(stateFile);
    if (!row.entry()) {
      assertThat(entries).as(why).doesNotContainKey(name);
      if (old != null) {
        assertThat(outcome.getPrior().getConfig())
            .as("the outcome keeps the prior config: " + why)
            .isEqualTo(old.getConfig());
      }
    } else {
      ResourceState entry = entries.get(name);
      assertThat(entry).as(why).isNotNull();
      String fileId = files.keySet().iterator().next();
      assertThat(entry.getOutput().getProviderId())
          .as("the state names what exists: " + why)
          .isEqualTo(fileId);
      String value = files.get(fileId).get("value").getAsString();
      assertThat(entry.getConfig())
          .as("the state holds the world's config: " + why)
          .isEqualTo(PluginWorld.config(value));
      assertThat(entry.getNeedsAttention()).as(why).isEqualTo(row.flagged());
      if (row.flagged()) {
        assertThat(entry.getAttentionReason()).as(why).isNotBlank();
      }
      assertThat(entry.getTainted()).as(why).isFalse();
    }
  }

  @Test
  void aFailingOperatorCommandHookCompensatesAndAPassingOneSeesTheOutputs() throws Exception {
    Path stateFile = world.newStateFile("cmd");
    world.inject();
    String[] check = {
      "sh", "-c", "test \"$COMPENSA_OUTPUT_VALUE\" = good && test -n \"$COMPENSA_PROVIDER_ID\""
    };
    PlanAction good = PluginWorld.withCommandHook(create("cmd_good", "t_inverse", "good"), check);
    PlanAction bad = PluginWorld.withCommandHook(create("cmd_bad", "t_inverse", "bad"), check);
    PlanAction alwaysFalse =
        PluginWorld.withCommandHook(create("cmd_false", "t_inverse", "good"), "false");

    ApplyResult result =
        world.apply(
            stateFile,
            plan("cmd", good, bad, alwaysFalse),
            options(FailurePolicy.CONTINUE, 2, List.of()).build());

    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsExactly(
            ACTION_STATUS_SUCCESS, ACTION_STATUS_COMPENSATED, ACTION_STATUS_COMPENSATED);
    assertThat(result.outcomes().get(1).getHookError())
        .contains("command hook")
        .contains("exited with 1");
    assertThat(result.outcomes().get(2).getHookError())
        .contains("command hook [false] exited with 1");
    assertThat(result.outcomes().get(2).getCompensation().getCall()).isEqualTo("Delete");
    assertThat(world.worldOf("cmd_good")).hasSize(1);
    assertThat(world.worldOf("cmd_bad")).isEmpty();
    assertThat(world.worldOf("cmd_false")).isEmpty();
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("cmd_good");
  }

  // ---- the credentials sample: its cloud file is the world ----

  private static Struct user(String user) {
    return Struct.newBuilder()
        .putFields("user", Value.newBuilder().setStringValue(user).build())
        .build();
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

  private boolean cloudHasKeyOf(String user) throws Exception {
    for (var key : world.cloud().getAsJsonObject("keys").entrySet()) {
      if (key.getValue().getAsJsonObject().get("user").getAsString().equals(user)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void anAccessKeyCreateWhoseHookFailsIsDeletedFromTheCloudAndLeavesNoEntryNorSecret()
      throws Exception {
    Path stateFile = world.newStateFile("key-create");
    ApplyResult result =
        world.apply(
            stateFile,
            plan("key-create", create("key_hookfail", "cred_access_key", user("hookfail-user"))),
            options(FailurePolicy.STOP, 1, List.of("key_hookfail")).build());

    ActionOutcome outcome = result.outcomes().get(0);
    assertThat(outcome.getStatus()).as(outcome.toString()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(outcome.getHookError()).contains("smoke test failed for key_hookfail");
    assertThat(outcome.getCompensation().getCompensator()).isEqualTo(Compensator.COMPENSATOR_HOST);
    assertThat(outcome.getCompensation().getCall()).isEqualTo("Delete");
    String keyId = outcome.getDriverOutput().getProviderId();
    assertThat(keyId).startsWith("CK");
    assertThat(world.cloud().getAsJsonObject("keys").has(keyId))
        .as("key gone from the cloud")
        .isFalse();
    assertThat(cloudHasKeyOf("hookfail-user")).isFalse();
    assertThat(PluginWorld.entries(stateFile)).doesNotContainKey("key_hookfail");
    Path secrets = PluginWorld.secretsFile(stateFile);
    assertThat(!Files.exists(secrets) || !Files.readString(secrets).contains("key_hookfail"))
        .as("the secret of a compensated key is forgotten")
        .isTrue();
  }

  @Test
  void anAccessKeyDeleteWhoseHookFailsIsNotCompensableTheKeyIsGoneAndTheOutcomeKeepsItsConfig()
      throws Exception {
    Path stateFile = world.newStateFile("key-delete");
    world.apply(
        stateFile,
        plan("key-delete-seed", create("key_del", "cred_access_key", user("del-user"))),
        options(FailurePolicy.STOP, 1, List.of()).build());
    ResourceState key = PluginWorld.entries(stateFile).get("key_del");
    assertThat(world.cloud().getAsJsonObject("keys").has(key.getOutput().getProviderId())).isTrue();

    ApplyResult result =
        world.apply(
            stateFile,
            plan("key-delete", delete(key)),
            options(FailurePolicy.STOP, 1, List.of("key_del")).build());

    ActionOutcome outcome = result.outcomes().get(0);
    assertThat(outcome.getStatus())
        .as(outcome.toString())
        .isEqualTo(ACTION_STATUS_COMPENSATION_FAILED);
    assertThat(outcome.getCompensation().getDetail()).contains("not compensable");
    assertThat(outcome.getPrior().getConfig()).isEqualTo(user("del-user"));
    assertThat(world.cloud().getAsJsonObject("keys").has(key.getOutput().getProviderId()))
        .isFalse();
    assertThat(PluginWorld.entries(stateFile)).doesNotContainKey("key_del");
  }

  @Test
  void aRuleSetCreateWhoseHookFailsIsCompensatedByThePluginAndItsRulesNeverReachTheCloud()
      throws Exception {
    Path stateFile = world.newStateFile("rules-create");
    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "rules-create",
                create("rs_hookfail", "cred_rule_set", rules("allow tcp 443")),
                create("rs_fine", "cred_rule_set", rules("deny tcp 22"))),
            options(FailurePolicy.CONTINUE, 1, List.of("rs_hookfail")).build());

    ActionOutcome failed = result.outcomes().get(0);
    assertThat(failed.getStatus()).as(failed.toString()).isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(failed.getCompensation().getCompensator()).isEqualTo(Compensator.COMPENSATOR_PLUGIN);
    assertThat(failed.getCompensation().getCall()).isEqualTo("Compensate");
    assertThat(failed.getCompensation().getDetail())
        .contains("dropped the batched change to \"rs_hookfail\"");
    assertThat(result.outcomes().get(1).getStatus()).isEqualTo(ACTION_STATUS_SUCCESS);
    JsonObject cloudRules = world.cloud().getAsJsonObject("rules");
    assertThat(cloudRules.has("rs_hookfail")).as("the rules never reach the cloud").isFalse();
    JsonArray flushed = cloudRules.getAsJsonArray("rs_fine");
    assertThat(flushed).as("FinalizeApply flushed the other rule set").isNotNull();
    assertThat(flushed.get(0).getAsString()).isEqualTo("deny tcp 22");
    assertThat(PluginWorld.entries(stateFile)).containsOnlyKeys("rs_fine");
  }

  @Test
  void aRuleSetUpdateWhoseHookFailsIsCompensatedAndTheCloudKeepsTheOldRules() throws Exception {
    Path stateFile = world.newStateFile("rules-update");
    world.apply(
        stateFile,
        plan("rules-update-seed", create("rs_upd", "cred_rule_set", rules("allow tcp 80"))),
        options(FailurePolicy.STOP, 1, List.of()).build());
    ResourceState prior = PluginWorld.entries(stateFile).get("rs_upd");

    ApplyResult result =
        world.apply(
            stateFile,
            plan(
                "rules-update",
                PluginWorld.change(
                    "update-", ActionKind.ACTION_KIND_UPDATE, prior, rules("allow tcp 8080"))),
            options(FailurePolicy.STOP, 1, List.of("rs_upd")).build());

    assertThat(result.outcomes().get(0).getStatus())
        .as(result.outcomes().toString())
        .isEqualTo(ACTION_STATUS_COMPENSATED);
    assertThat(world.cloud().getAsJsonObject("rules").getAsJsonArray("rs_upd").get(0).getAsString())
        .isEqualTo("allow tcp 80");
    assertThat(PluginWorld.entries(stateFile).get("rs_upd").getConfig())
        .isEqualTo(rules("allow tcp 80"));
    assertThat(PluginWorld.entries(stateFile).get("rs_upd").getNeedsAttention()).isFalse();
  }
}
