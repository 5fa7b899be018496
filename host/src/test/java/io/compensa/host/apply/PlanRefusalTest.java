package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.state.StateLockedException;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans the engine must refuse before anything runs, and a second apply refused by the state lock:
 * one clear message naming the resource (or the lock's holder), no plugin called, nothing changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanRefusalTest {
  @TempDir static Path dir;
  private PluginWorld world;
  private String cloudBefore;

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
  void snapshotCloud() throws Exception {
    world.inject(Map.of());
    cloudBefore = world.cloud().toString();
  }

  /**
   * Applies {@code plan} against a fresh state, expects refusal, and checks that nothing happened.
   */
  private String refused(Plan plan, String prefix) throws Exception {
    Path stateFile = world.newStateFile(plan.getId());
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> world.apply(stateFile, plan, options(FailurePolicy.STOP, 2, List.of()).build()));
    assertThat(thrown).isInstanceOf(InvalidPlanException.class);
    assertNothingHappened(stateFile, plan, prefix);
    return thrown.getMessage();
  }

  private void assertNothingHappened(Path stateFile, Plan plan, String prefix) throws Exception {
    assertThat(Files.exists(stateFile)).as("no state file was written").isFalse();
    assertThat(world.world(prefix)).as("nothing was created").isEmpty();
    Path ledger = world.scenarioRoot().resolve("ledger");
    for (PlanAction action : plan.getActionsList()) {
      assertThat(ledger.resolve(action.getId()))
          .as("no Create was called for " + action.getId())
          .doesNotExist();
    }
    assertThat(world.finalized(plan.getId())).as("FinalizeApply was not called").isNull();
    assertThat(world.cloud().toString())
        .as("the credentials cloud is unchanged")
        .isEqualTo(cloudBefore);
  }

  @Test
  void duplicateResourceNamesAreRefusedNamingTheResource() throws Exception {
    String message =
        refused(
            plan(
                "dup",
                create("v_dup", "t_inverse", "a"),
                create("v_other", "t_inverse", "a"),
                create("v_dup", "t_inverse", "b").toBuilder().setId("create-v_dup-again").build()),
            "v_");

    assertThat(message).startsWith("resource \"v_dup\" appears twice in the plan (action #3");
  }

  @Test
  void aDependencyOnAnUnknownResourceIsRefusedNamingBoth() throws Exception {
    String message =
        refused(
            plan(
                "unknown-dep",
                create("u_base", "t_inverse", "a"),
                create("u_orphan", "t_inverse", "a", "u_ghost")),
            "u_");

    assertThat(message)
        .isEqualTo(
            "resource \"u_orphan\" depends on \"u_ghost\", which is neither in the plan nor in the state");
  }

  @Test
  void aDependencyCycleIsRefusedNamingTheCycle() throws Exception {
    String message =
        refused(
            plan(
                "cycle",
                create("c_free", "t_inverse", "a"),
                create("c_one", "t_inverse", "a", "c_three"),
                create("c_two", "t_inverse", "a", "c_one"),
                create("c_three", "t_inverse", "a", "c_two")),
            "c_");

    assertThat(message).startsWith("the plan's dependencies form a cycle: ");
    List<String> cycle = Arrays.asList(message.substring(message.indexOf(": ") + 2).split(" -> "));
    assertThat(cycle).as(message).hasSize(4);
    assertThat(cycle.get(0)).as("the cycle closes: " + message).isEqualTo(cycle.get(3));
    assertThat(Set.copyOf(cycle))
        .as(message)
        .containsExactlyInAnyOrder("c_one", "c_two", "c_three");
  }

  @Test
  void aTypeNoPluginServesIsRefusedNamingTheResourceAndType() throws Exception {
    String message =
        refused(
            plan(
                "unknown-type",
                create("t_fine", "t_inverse", "a"),
                create("t_typo", "t_inversse", "a")),
            "t_");

    assertThat(message)
        .startsWith(
            "resource \"t_typo\": type \"t_inversse\" is not served by any configured plugin")
        .contains("cred_access_key")
        .contains("t_inverse");
  }

  @Test
  void anActionKindTheTypeDoesNotSupportIsRefusedNamingTheResource() throws Exception {
    Struct user =
        Struct.newBuilder()
            .putFields("user", Value.newBuilder().setStringValue("kind-user").build())
            .build();
    ResourceState current =
        ResourceState.newBuilder()
            .setName("k_key")
            .setType("cred_access_key")
            .setConfig(user)
            .setOutput(ResourceOutput.newBuilder().setProviderId("CKNOSUCHKEY"))
            .build();
    Plan plan =
        plan(
            "unsupported-kind",
            create("k_fine", "t_inverse", "a"),
            PluginWorld.change("update-", ActionKind.ACTION_KIND_UPDATE, current, user));

    String message = refused(plan, "k_");

    assertThat(message)
        .startsWith("resource \"k_key\": type \"cred_access_key\" does not support UPDATE");
  }

  @Test
  void aRefusedPlanLeavesAnExistingStateFileByteForByteUnchanged() throws Exception {
    Path stateFile = world.newStateFile("refused-existing");
    world.apply(
        stateFile,
        plan("refused-existing-seed", create("e_seed", "t_inverse", "a")),
        options(FailurePolicy.STOP, 1, List.of()).build());
    byte[] before = Files.readAllBytes(stateFile);
    Map<String, ?> worldBefore = world.world("e_");

    assertThatThrownBy(
            () ->
                world.apply(
                    stateFile,
                    plan("refused-existing", create("e_new", "t_inverse", "a", "e_missing")),
                    options(FailurePolicy.STOP, 1, List.of()).build()))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("\"e_new\" depends on \"e_missing\"");

    assertThat(Files.readAllBytes(stateFile)).isEqualTo(before);
    assertThat(world.world("e_")).isEqualTo(worldBefore);
    assertThat(world.finalized("refused-existing")).isNull();
  }

  @Test
  void aSecondApplyIsRefusedAtOnceByTheLockNamingTheChildProcessThatHoldsIt() throws Exception {
    Path stateFile = world.newStateFile("locked");
    Files.createDirectories(stateFile.getParent());
    List<String> command =
        Stream.concat(
                LocalFs.command().stream().limit(LocalFs.command().size() - 1),
                Stream.of("io.compensa.host.testing.StateLockHolder", stateFile.toString()))
            .toList();
    Process holder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("the child took the lock").isEqualTo("locked " + holder.pid());
      Plan plan = plan("locked", create("l_res", "t_inverse", "a"));

      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () ->
                  world.apply(stateFile, plan, options(FailurePolicy.STOP, 1, List.of()).build()));

      assertThat(thrown).isInstanceOf(StateLockedException.class);
      assertThat(thrown.getMessage())
          .contains("is locked by pid " + holder.pid() + " ")
          .contains("apply by the lock-holder test child");
      // refused at once: the holder releases only when this test closes its stdin, so a refusal
      // while it still holds the lock, with no lock timeout given, cannot have come from waiting
      assertThat(thrown.getMessage())
          .as("the refusal of a lock not waited for")
          .doesNotContain("waiting");
      assertThat(holder.isAlive()).as("the child still holds the lock").isTrue();
      assertNothingHappened(stateFile, plan, "l_");
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(10, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
  }
}
