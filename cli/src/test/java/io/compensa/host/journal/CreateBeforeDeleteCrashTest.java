package io.compensa.host.journal;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.replace;
import static io.compensa.host.testing.PluginWorld.update;
import static io.compensa.host.testing.PluginWorld.worldJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.testing.Await;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host killed at each step of a create-before-delete replace, then {@code compensa recover}: the
 * real CLI applies (in a child JVM) a plan that replaces key {@code k} (the scenario plugin's
 * {@code t_cbd}) and moves its consumer {@code c} to the new key, and is killed with SIGKILL while
 * a chosen step is under way (the plugin, or a command hook, holds that step until the kill). The
 * recover then finishes the apply the way an uninterrupted one ends: one new key in the world and
 * in the state, the old one deleted, the consumer moved, nothing deposed, and a second recover
 * finds nothing.
 */
class CreateBeforeDeleteCrashTest {
  @TempDir Path dir;

  /** Where the host dies, and what holds the apply there until it does. */
  enum Step {
    /** The new key's Create is under way. */
    CREATING_THE_NEW("Create:k", false),
    /** The new key exists; a command hook on it is running, the old key untouched. */
    CHECKING_THE_NEW(null, false),
    /** The new key is recorded (the old one deposed); the consumer's Update is under way. */
    MOVING_THE_DEPENDENT("Update:c", true),
    /** Everything moved; the old key's deferred Delete is under way. */
    DELETING_THE_OLD("Delete:k", true);

    final String hang;
    final boolean consumerStarted;

    Step(String hang, boolean consumerStarted) {
      this.hang = hang;
      this.consumerStarted = consumerStarted;
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aHostKilledDuringTheStepIsFinishedByRecoverAsAnUninterruptedApplyEnds(Step step)
      throws Exception {
    Path work = dir.resolve(step.name());
    Files.createDirectories(work);
    Path configFile = PluginWorld.writeConfig(work, true, false);
    Path stateFile = HostConfigReader.read(configFile).stateFile();
    Map<String, ResourceState> seeded;
    try (PluginWorld world = PluginWorld.launch(work, true, false)) {
      ApplyResult seed =
          world.apply(
              stateFile,
              plan("seed", create("k", "t_cbd", "v1"), create("c", "t_inverse", "uses-v1", "k")),
              options(FailurePolicy.STOP, 1, List.of()).build());
      assertThat(seed.allSucceeded()).isTrue();
      seeded = PluginWorld.entries(stateFile);
    }
    String oldKey = seeded.get("k").getOutput().getProviderId();

    PlanAction replaceKey = replace(seeded.get("k"), "v2");
    Path hold = work.resolve("hold");
    Path hookRunning = work.resolve("hook-running");
    if (step == Step.CHECKING_THE_NEW) {
      Files.writeString(hold, "");
      replaceKey =
          replaceKey.toBuilder()
              .addCommandHooks(
                  CommandHook.newBuilder()
                      .addAllCommand(
                          List.of(
                              "sh",
                              "-c",
                              "touch '"
                                  + hookRunning
                                  + "'; while [ -e '"
                                  + hold
                                  + "' ]; do sleep 0.05; done"))
                      .setTimeoutSeconds(120))
              .build();
    } else {
      inject(work, "{\"hang\": [\"" + step.hang + "\"]}");
    }
    Path planFile = work.resolve("plan.json");
    PlanFiles.write(
        plan("crash-" + step, replaceKey, update(seeded.get("c"), "uses-v2")), planFile);

    Path log = work.resolve("apply.log");
    Process child =
        new ChildCli(work, Map.of())
            .start(log, "apply", "--config", configFile.toString(), planFile.toString());
    Path marker =
        step == Step.CHECKING_THE_NEW
            ? hookRunning
            : work.resolve("scenario").resolve("hanging").resolve(step.hang);
    Await.until(
        "the apply to reach " + step + " (" + marker + ")",
        Duration.ofSeconds(90),
        () -> Files.exists(marker) || !child.isAlive());
    assertThat(child.isAlive())
        .as("the apply is held at %s; its log: %s", step, Files.readString(log))
        .isTrue();
    List<ProcessHandle> plugins = child.descendants().toList();
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    for (ProcessHandle orphan : plugins) {
      // the orphan guard stops the plugin once its host is gone; a command hook is killed here
      try {
        orphan.onExit().get(15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stillThere) {
        orphan.destroyForcibly();
      }
    }
    inject(work, "{}");
    Files.deleteIfExists(hold);
    FileJournal journal = new FileJournal(stateFile);
    assertThat(journal.unfinished()).as("the kill left the apply unfinished").isPresent();

    Path report = work.resolve("recovered.html");
    ChildCli.Result recovered =
        new ChildCli(work, Map.of())
            .run("recover", "--config", configFile.toString(), "--report", report.toString());
    // the report says recover finished the apply and marks what it settled
    assertThat(Files.readString(report)).contains("compensa recover finished it");
    if (step != Step.DELETING_THE_OLD) {
      // an action was under way when the host died: recover settled it
      assertThat(Files.readString(report))
          .contains("and settled")
          .contains("<g class=\"action recovered status-");
    }

    assertThat(journal.unfinished()).isEmpty();
    Map<String, ResourceState> after = PluginWorld.entries(stateFile);
    ResourceState key = after.get("k");
    assertThat(key.getDeposedList()).isEmpty();
    assertThat(key.getNeedsAttention()).isFalse();
    Map<String, ActionStatus> statuses = new java.util.TreeMap<>();
    PluginWorld.state(stateFile)
        .getFinishedApply()
        .getOutcomesList()
        .forEach(o -> statuses.put(o.getResourceName(), o.getStatus()));
    String expectedKey;
    String expectedValue;
    String expectedConsumer;
    if (step.consumerStarted) {
      assertThat(recovered.exitCode()).as(recovered.output()).isZero();
      assertThat(statuses)
          .containsEntry("k", ActionStatus.ACTION_STATUS_SUCCESS)
          .containsEntry("c", ActionStatus.ACTION_STATUS_SUCCESS);
      assertThat(key.getOutput().getProviderId()).isNotEqualTo(oldKey);
      expectedKey = key.getOutput().getProviderId();
      expectedValue = "v2";
      expectedConsumer = "uses-v2";
    } else {
      assertThat(recovered.exitCode()).as(recovered.output()).isEqualTo(1);
      assertThat(recovered.output()).contains("nothing moved to the new object");
      assertThat(statuses)
          .containsEntry("k", ActionStatus.ACTION_STATUS_COMPENSATED)
          .containsEntry("c", ActionStatus.ACTION_STATUS_SKIPPED);
      assertThat(key).isEqualTo(seeded.get("k"));
      expectedKey = oldKey;
      expectedValue = "v1";
      expectedConsumer = "uses-v1";
    }
    assertThat(after.get("c").getConfig()).isEqualTo(PluginWorld.config(expectedConsumer));
    try (PluginWorld world = PluginWorld.launch(work, true, false)) {
      assertThat(world.worldOf("k"))
          .as("one key in the world, the recorded one")
          .containsExactly(Map.entry(expectedKey, worldJson(expectedValue)));
      assertThat(world.worldOf("c").values()).containsExactly(worldJson(expectedConsumer));
    }
    ChildCli.Result again =
        new ChildCli(work, Map.of()).run("recover", "--config", configFile.toString());
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).containsIgnoringCase("nothing to recover");
  }

  private static void inject(Path work, String json) throws Exception {
    Files.writeString(work.resolve("scenario").resolve("inject.json"), json);
  }
}
