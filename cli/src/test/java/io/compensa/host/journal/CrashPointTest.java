package io.compensa.host.journal;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.delete;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.replace;
import static io.compensa.host.testing.PluginWorld.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol model's crash points against the real engine: for each step of the apply and recover
 * protocol (docs/protocol-model.md), the real CLI applies a plan in a child JVM with that step
 * armed ({@code COMPENSA_CRASH_AT}), so the host halts exactly there, as a SIGKILL would; a second
 * crash may be armed in the first {@code compensa recover}; then recover runs to the end.
 *
 * <p>The plan exercises every step at once, two actions at a time over the scenario plugin: a
 * create whose command hook succeeds slowly, a create compensated by the plugin itself (its hook
 * fails), an update compensated by the host's inverse call (its hook fails), a delete, and a
 * create-before-delete replace (a deferred delete), then FinalizeApply. After the last recover: the
 * crash happened where it was armed (exit code and the host's last line); exactly one outcome per
 * plan action, each the one the uninterrupted apply ends with or SKIPPED for an action that never
 * started; the state equals the world (every object the plugin holds is recorded, every record
 * names an object); the journal is closed and a second recover finds nothing; no command hook ran
 * twice at once; the crashed host left nothing in {@code /tmp}.
 */
class CrashPointTest {
  /** The slow hook running (the only hook whose command starts so). */
  private static final String SLOW_HOOK_RUNNING = "steps.hook-running/sh -c if";

  /** The world and state every trial starts from: {@code u}, {@code d} and {@code k}, applied. */
  @TempDir static Path seed;

  @TempDir Path dir;

  @BeforeAll
  static void seedTheWorld() throws Exception {
    Path configFile = PluginWorld.writeConfig(seed, true, false);
    Path stateFile = HostConfigReader.read(configFile).stateFile();
    try (PluginWorld world = PluginWorld.launch(seed, true, false)) {
      ApplyResult seeded =
          world.apply(
              stateFile,
              plan(
                  "seed",
                  create("u", "t_inverse", "u1"),
                  create("d", "t_plugin", "d1"),
                  create("k", "t_cbd", "k1")),
              options(FailurePolicy.STOP, 1, List.of()).build());
      assertThat(seeded.allSucceeded()).isTrue();
    }
  }

  /** One trial: where the apply halts, and where the first recover halts (null: it finishes). */
  record Crash(FailurePolicy policy, String applyAt, String recoverAt) {
    @Override
    public String toString() {
      return policy.name().toLowerCase()
          + " "
          + applyAt
          + (recoverAt == null ? "" : " then " + recoverAt);
    }
  }

  static Stream<Crash> crashes() {
    List<Crash> crashes = new ArrayList<>();
    for (String step :
        List.of(
            "call.intent-journaled/Create",
            "call.returned/Create",
            "call.result-journaled/Create",
            "call.returned/Update",
            "call.returned/Delete",
            "steps.record-persisted",
            SLOW_HOOK_RUNNING,
            "steps.hook-failure-journaled",
            "call.intent-journaled/Compensate",
            "call.returned/Compensate",
            "call.returned/Update (compensation)",
            "steps.compensated",
            "action.outcome-journaled",
            "action.outcome-journaled#4",
            "call.returned/Create (replace)",
            "call.returned/Delete (deposed)",
            "call.returned/FinalizeApply",
            "apply.finalized",
            "apply.state-written",
            "apply.journal-completed")) {
      crashes.add(new Crash(FailurePolicy.CONTINUE, step, null));
    }
    for (String step :
        List.of(
            "steps.hook-failure-journaled",
            "call.returned/Delete (compensation)",
            "call.intent-journaled/Delete (compensation)",
            "apply.finalized")) {
      crashes.add(new Crash(FailurePolicy.ROLLBACK, step, null));
    }
    // a second crash, inside recover itself
    crashes.add(new Crash(FailurePolicy.CONTINUE, SLOW_HOOK_RUNNING, "recover.records-written"));
    crashes.add(
        new Crash(FailurePolicy.CONTINUE, "call.returned/Create", "call.returned/Read (recover)"));
    crashes.add(
        new Crash(
            FailurePolicy.CONTINUE, "steps.hook-failure-journaled", "call.returned/Compensate"));
    crashes.add(new Crash(FailurePolicy.CONTINUE, SLOW_HOOK_RUNNING, SLOW_HOOK_RUNNING));
    crashes.add(
        new Crash(
            FailurePolicy.ROLLBACK, "steps.compensated", "call.returned/Delete (compensation)"));
    crashes.add(new Crash(FailurePolicy.CONTINUE, "call.returned/Update", "apply.state-written"));
    return crashes.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crashes")
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aHostHaltedAtTheStepIsRecoveredWithEveryInvariantHolding(Crash crash) throws Exception {
    Path work = dir.resolve("work");
    copyTree(seed, work);
    Path configFile = PluginWorld.writeConfig(work, true, false);
    Path stateFile = HostConfigReader.read(configFile).stateFile();
    Map<String, ResourceState> seeded = PluginWorld.entries(stateFile);
    // the slow hook's first run lasts 30 s, far longer than the host takes to die and recover to
    // start: a recover that let it run would find it running when it runs the hook again
    if (crash.applyAt().startsWith(SLOW_HOOK_RUNNING)) {
      Files.writeString(work.resolve("slow"), "");
    }
    Plan plan =
        plan(
            "crash",
            hooked(create("a", "t_inverse", "a1"), slowHook(work)),
            hooked(create("b", "t_plugin", "b1"), "sh", "-c", "exit 3"),
            hooked(update(seeded.get("u"), "u2"), "sh", "-c", "exit 4"),
            delete(seeded.get("d")),
            replace(seeded.get("k"), "k2"));
    Map<String, ActionStatus> uninterrupted =
        Map.of(
            "a", ActionStatus.ACTION_STATUS_SUCCESS,
            "b", ActionStatus.ACTION_STATUS_COMPENSATED,
            "u", ActionStatus.ACTION_STATUS_COMPENSATED,
            "d", ActionStatus.ACTION_STATUS_SUCCESS,
            "k", ActionStatus.ACTION_STATUS_SUCCESS);
    Path planFile = work.resolve("plan.json");
    PlanFiles.write(plan, planFile);

    Process apply =
        cli(work, crash.applyAt())
            .start(
                work.resolve("apply.log"),
                "apply",
                "--config",
                configFile.toString(),
                "--on-failure",
                crash.policy().name().toLowerCase(),
                "--parallelism",
                "2",
                planFile.toString());
    assertHalted(apply, work.resolve("apply.log"), crash.applyAt());
    FileJournal journal = new FileJournal(stateFile);
    if (!crash.applyAt().equals("apply.journal-completed")) {
      assertThat(journal.unfinished()).as("the halt left the apply unfinished").isPresent();
    }

    if (crash.recoverAt() != null) {
      Process recover =
          cli(work, crash.recoverAt())
              .start(work.resolve("recover-1.log"), "recover", "--config", configFile.toString());
      assertHalted(recover, work.resolve("recover-1.log"), crash.recoverAt());
      assertThat(journal.unfinished())
          .as("the halted recover left the apply unfinished")
          .isPresent();
    }

    ChildCli.Result recovered =
        new ChildCli(work, Map.of()).run("recover", "--config", configFile.toString());
    assertThat(recovered.exitCode()).as(recovered.output()).isIn(0, 1);
    assertThat(journal.unfinished()).as("recover closed the journal").isEmpty();

    StateSnapshot state = PluginWorld.state(stateFile);
    assertThat(state.getFinishedApply().getPlanId()).isEqualTo("crash");
    Map<String, ActionStatus> statuses = new TreeMap<>();
    for (ActionOutcome outcome : state.getFinishedApply().getOutcomesList()) {
      assertThat(statuses.put(outcome.getResourceName(), outcome.getStatus()))
          .as("one outcome for %s", outcome.getResourceName())
          .isNull();
    }
    assertThat(statuses.keySet())
        .as("one outcome per plan action")
        .isEqualTo(uninterrupted.keySet());
    assertThat(statuses.values())
        .doesNotContain(ActionStatus.ACTION_STATUS_UNSPECIFIED, ActionStatus.UNRECOGNIZED);
    if (crash.policy() == FailurePolicy.CONTINUE) {
      statuses.forEach(
          (name, status) ->
              assertThat(status)
                  .as("%s ends as the uninterrupted apply ends, or never started", name)
                  .isIn(uninterrupted.get(name), ActionStatus.ACTION_STATUS_SKIPPED));
    }

    assertThat(worldOf(work))
        .as("state == world: the objects in the world are those the state records")
        .isEqualTo(recorded(state));
    Path overlaps = work.resolve("overlaps");
    assertThat(Files.exists(overlaps) ? Files.readString(overlaps) : "")
        .as("no command hook ran twice at once")
        .isEmpty();
  }

  /**
   * The model's finding F1 (docs/protocol-model.md): a recover learned by Read that a lost Create
   * took effect, then a hook failed and its compensating Delete ran, and the host died again. The
   * next recover resumes that compensation from the journaled read-back answer; it does not run the
   * Create again (which fails here) and end ERROR beside a record of the deleted object.
   */
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aCompensationBegunAfterReadStoodInForALostCreateIsResumedByTheNextRecover()
      throws Exception {
    Path work = dir.resolve("f1");
    copyTree(seed, work);
    Path configFile = PluginWorld.writeConfig(work, true, false);
    Path stateFile = HostConfigReader.read(configFile).stateFile();
    Path planFile = work.resolve("plan.json");
    PlanFiles.write(
        plan("f1", hooked(create("x", "t_inverse", "x1"), "sh", "-c", "exit 5")), planFile);

    Process apply =
        cli(work, "call.intent-journaled/Create")
            .start(
                work.resolve("apply.log"),
                "apply",
                "--config",
                configFile.toString(),
                planFile.toString());
    assertHalted(apply, work.resolve("apply.log"), "call.intent-journaled/Create");

    // recover 1: the Create takes effect and the plugin dies before it answers; Read finds x; its
    // hook fails; the compensating Delete runs and the host dies as it answers
    inject(work, "{\"crash_after\": [\"Create:x\"]}");
    Process first =
        cli(work, "call.returned/Delete (compensation)")
            .start(work.resolve("recover-1.log"), "recover", "--config", configFile.toString());
    assertHalted(first, work.resolve("recover-1.log"), "call.returned/Delete (compensation)");
    assertThat(Files.readString(work.resolve("recover-1.log")))
        .as("the plugin crashed under the Create")
        .contains("exited unexpectedly");
    assertThat(worldOf(work)).noneMatch(id -> id.startsWith("x-"));

    // recover 2: a Create now would fail; the compensation is resumed instead
    inject(work, "{\"fail\": [\"Create:x\"]}");
    ChildCli.Result second =
        new ChildCli(work, Map.of()).run("recover", "--config", configFile.toString());
    assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
    StateSnapshot state = PluginWorld.state(stateFile);
    assertThat(state.getFinishedApply().getOutcomesList())
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
              assertThat(outcome.getHookError()).contains("exited with 5");
            });
    assertThat(state.getResourcesList()).noneMatch(r -> r.getName().equals("x"));
    assertThat(worldOf(work)).as("state == world").isEqualTo(recorded(state));
  }

  private static void inject(Path work, String json) throws java.io.IOException {
    Files.writeString(work.resolve("scenario").resolve("inject.json"), json);
  }

  /** The scenario plugin's objects: one file each, named by its provider id. */
  private static Set<String> worldOf(Path work) throws java.io.IOException {
    Path world = work.resolve("scenario").resolve("world");
    try (Stream<Path> files = Files.list(world)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /** A child CLI with {@code step} armed. */
  private static ChildCli cli(Path work, String step) {
    return new ChildCli(work, Map.of("COMPENSA_CRASH_AT", step));
  }

  /**
   * The host halted at the armed step: its exit code and last line say so, and it left no socket
   * directory in {@code /tmp}.
   */
  private static void assertHalted(Process host, Path log, String step) throws Exception {
    assertThat(host.waitFor(120, TimeUnit.SECONDS)).as("the host ends").isTrue();
    String output = Files.readString(log);
    String armed = step.replaceAll("#\\d+$", "").split("/")[0];
    assertThat(host.exitValue()).as("halted at %s; its log: %s", step, output).isEqualTo(86);
    assertThat(output).contains("crash point " + armed);
    try (Stream<Path> left = Files.list(Path.of("/tmp"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("socket directories the halted host %d left in /tmp", host.pid())
          .noneMatch(name -> name.startsWith("cpa" + host.pid() + "."));
    }
  }

  /** Every object the state records: each resource's, and the deposed ones beside it. */
  private static Set<String> recorded(StateSnapshot state) {
    Set<String> ids = new TreeSet<>();
    for (ResourceState resource : state.getResourcesList()) {
      ids.add(resource.getOutput().getProviderId());
      for (DeposedObject deposed : resource.getDeposedList()) {
        ids.add(deposed.getState().getOutput().getProviderId());
      }
    }
    return ids;
  }

  private static PlanAction hooked(PlanAction action, String... command) {
    return action.toBuilder()
        .addCommandHooks(
            CommandHook.newBuilder().addAllCommand(List.of(command)).setTimeoutSeconds(60))
        .build();
  }

  /**
   * A hook that notes in {@code overlaps} when another run of it is still alive, and whose first
   * run lasts 30 s.
   */
  private static String[] slowHook(Path work) {
    String pidFile = work.resolve("hook.pid").toString();
    String script =
        "if [ -f '"
            + pidFile
            + "' ] && kill -0 \"$(cat '"
            + pidFile
            + "')\" 2>/dev/null; then echo \"overlap with $(cat '"
            + pidFile
            + "')\" >> '"
            + work.resolve("overlaps")
            + "'; fi; echo $$ > '"
            + pidFile
            + "'; if [ -f '"
            + work.resolve("slow")
            + "' ]; then rm -f '"
            + work.resolve("slow")
            + "'; sleep 30; fi; rm -f '"
            + pidFile
            + "'";
    return new String[] {"sh", "-c", script};
  }
}
