package io.compensa.host.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPluginEndpoint;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plugin crash campaign: localfs, launched through {@link LaunchedPlugins} from a {@code
 * compensa.json}, is killed with SIGKILL at random moments (seeded, the seed printed) while this
 * JVM applies a plan of more than 100 localfs actions with parallelism 8, for each failure policy.
 * After each trial: the apply returned, invariant 1 holds, every failed action's error carries the
 * plugin's exit code, the plugin was relaunched when calls met the crash, the journal is complete,
 * and state == world; after a rollback (when an action failed) the world is what it was before the
 * apply except what COMPENSATION_FAILED outcomes name. A trial where Read settled every interrupted
 * call as done ends all SUCCESS, with nothing to roll back.
 *
 * <p>{@code -Dcompensa.plugincrash.trials=N} (default 3 per policy) and {@code
 * -Dcompensa.plugincrash.seed=S} (default: the clock, printed) control the run. Each trial launches
 * its own plugins (the relaunch budget is per launch), creates 40 files without a kill, then
 * applies updates and deletes of those with new creates (some depending on others), and kills the
 * plugin once or twice when a random number of actions has started.
 *
 * <p>A kill counts only when it lands mid-apply: some action of the plan had not yet finished when
 * the plugin was killed. Each policy's campaign fails unless at least two thirds of its trials (at
 * least one) had such a kill: a campaign whose kills all come after the apply tests nothing.
 */
class PluginCrashCampaignTest {
  private static final int BASE_FILES = 40;
  private static final int MIN_ACTIONS = 100;
  private static final Duration HANG = Duration.ofSeconds(120);

  @TempDir static Path dir;
  static Path root;
  static long seed;

  @BeforeAll
  static void seed() throws IOException {
    root = dir.resolve("root");
    Files.createDirectories(root);
    seed = Long.getLong("compensa.plugincrash.seed", System.nanoTime());
    System.out.println(
        "[plugin crash campaign] seed " + seed + " (-Dcompensa.plugincrash.seed=" + seed + ")");
  }

  @AfterAll
  static void done() {
    System.out.println("[plugin crash campaign] seed " + seed + " done");
  }

  @ParameterizedTest
  @EnumSource(FailurePolicy.class)
  void aPluginKilledAtRandomMomentsMidApplyLeavesOneOutcomePerActionAndStateEqualToWorld(
      FailurePolicy policy) throws Exception {
    int trials = Integer.getInteger("compensa.plugincrash.trials", 3);
    Random random = new Random(seed + policy.ordinal());
    List<String> failures = new ArrayList<>();
    Map<ActionStatus, Integer> statuses = new EnumMap<>(ActionStatus.class);
    int kills = 0;
    int killsMidApply = 0;
    int trialsKilledMidApply = 0;
    int relaunches = 0;
    int trialsKilled = 0;
    int finishedBeforeKill = 0;
    int crashErrors = 0;
    int temporaries = 0;
    int actions = 0;
    int absorbed = 0;
    List<String> killPoints = new ArrayList<>();
    for (int trial = 1; trial <= trials; trial++) {
      String folder = policy.name().toLowerCase() + "-" + trial;
      Files.createDirectories(root.resolve(folder));
      Path configFile =
          LocalFsWorld.writeConfig(
              dir.resolve(folder).resolve("compensa.json"), root, "state/state.json");
      HostConfig config = HostConfigReader.read(configFile);
      try (LaunchedPlugins plugins = LaunchedPlugins.launch(config)) {
        LaunchedPluginEndpoint endpoint = plugins.endpoints().get(0);
        // the world before: BASE_FILES files, created without a kill
        Plan base = basePlan(folder);
        ApplyResult created = engine(plugins, config, FailurePolicy.STOP, null).apply(base, "test");
        assertThat(created.allSucceeded()).as("%s: the base apply", folder).isTrue();
        StateSnapshot before = new FileStateStore(config.stateFile()).read();
        Map<String, String> worldBefore = world(folder);

        Plan plan = crashPlan(folder, trial, before, random);
        actions += plan.getActionsCount();
        Killer killer = new Killer(endpoint, random, plan.getActionsCount());
        ApplyEngine engine = engine(plugins, config, policy, killer);
        CompletableFuture<ApplyResult> apply =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return engine.apply(plan, "test");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        ApplyResult result;
        try {
          result = apply.get(HANG.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException hang) {
          failures.add(folder + ": the apply did not return within " + HANG);
          continue;
        }
        killer.stop();
        kills += killer.kills.get();
        killsMidApply += killer.killsMidApply.get();
        if (killer.killsMidApply.get() > 0) {
          trialsKilledMidApply++;
        }
        relaunches += endpoint.relaunches();
        killPoints.add(folder + ":" + killer.points);
        if (killer.kills.get() > 0) {
          trialsKilled++;
        } else {
          finishedBeforeKill++;
        }

        List<String> broken = LocalFsWorld.invariantOne(plan, result);
        if (!broken.isEmpty()) {
          failures.add(folder + ": invariant 1: " + broken);
        }
        boolean callsMetTheCrash = killer.startedAfterKill.get() > 0;
        for (ActionOutcome outcome : result.outcomes()) {
          statuses.merge(outcome.getStatus(), 1, Integer::sum);
          boolean failed =
              outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR
                  || outcome.getStatus() == ActionStatus.ACTION_STATUS_DELETE_FAILED;
          if (failed) {
            // localfs fails no call of this plan by itself: every failure is the crash
            crashErrors++;
            callsMetTheCrash = true;
            if (!outcome.getDriverError().contains("exit code 137")) {
              failures.add(
                  folder
                      + ": "
                      + outcome.getActionId()
                      + " failed without the plugin's exit code: "
                      + outcome.getDriverError());
            }
          }
        }
        if (callsMetTheCrash && endpoint.relaunches() < 1) {
          failures.add(folder + ": calls met the crash but the plugin was not relaunched");
        }
        if (new FileJournal(config.stateFile()).unfinished().isPresent()) {
          failures.add(folder + ": the journal is left unfinished");
        }
        StateSnapshot after = new FileStateStore(config.stateFile()).read();
        LocalFsWorld.Comparison comparison = LocalFsWorld.compare(after, root, folder);
        temporaries += comparison.localfsTemporaries().size();
        if (comparison.leaks()) {
          failures.add(folder + " (" + killer.points + "): state != world: " + comparison);
        }
        if (result.allSucceeded()) {
          // every call the crash cut short was settled by Read as done: nothing failed, nothing to
          // roll back
          absorbed++;
        } else if (policy == FailurePolicy.ROLLBACK) {
          List<String> differences = rollbackDifferences(worldBefore, world(folder), plan, result);
          if (!differences.isEmpty()) {
            failures.add(
                folder
                    + " ("
                    + killer.points
                    + "): after the rollback the world differs from before "
                    + "beyond what COMPENSATION_FAILED names: "
                    + differences);
          }
        }
      }
    }
    System.out.println(
        "[plugin crash campaign] policy "
            + policy
            + ", seed "
            + seed
            + ": "
            + trials
            + " trials ("
            + actions
            + " actions), "
            + trialsKilledMidApply
            + " with the plugin killed mid-apply, "
            + finishedBeforeKill
            + " finished before the kill point; "
            + kills
            + " kills ("
            + killsMidApply
            + " mid-apply, in "
            + trialsKilled
            + " trials), "
            + relaunches
            + " relaunches, "
            + crashErrors
            + " actions failed by the crash, "
            + absorbed
            + " trials where every action still succeeded; outcomes "
            + statuses
            + "; "
            + temporaries
            + " localfs temporaries left; "
            + failures.size()
            + " failures");
    System.out.println(
        "[plugin crash campaign] policy "
            + policy
            + " kill points (actions started when killed): "
            + killPoints);
    assertThat(failures).as("seed " + seed + ", policy " + policy).isEmpty();
    assertThat(trialsKilledMidApply)
        .as(
            "seed %d, policy %s: trials whose plugin was killed mid-apply, of %d",
            seed, policy, trials)
        .isGreaterThanOrEqualTo(Math.max(1, (2 * trials + 2) / 3));
  }

  /**
   * Kills the plugin when a random number of actions has started, and once more in a third of the
   * trials. Counts the actions that started after a kill (their calls meet the crash), and the
   * kills that landed while an action of the plan had not yet finished.
   */
  private static final class Killer implements ApplyListener {
    final LaunchedPluginEndpoint endpoint;
    final List<Integer> killAt = new ArrayList<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger killsMidApply = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final int actions;
    final AtomicInteger startedAfterKill = new AtomicInteger();
    final List<String> points = new ArrayList<>();
    final int[] pauses;
    volatile boolean stopped;

    Killer(LaunchedPluginEndpoint endpoint, Random random, int actions) {
      this.endpoint = endpoint;
      this.actions = actions;
      int first = random.nextInt(actions * 3 / 4);
      killAt.add(first);
      if (random.nextInt(3) == 0) {
        killAt.add(first + 1 + random.nextInt(actions / 4));
      }
      pauses = new int[] {random.nextInt(15), random.nextInt(15)};
    }

    @Override
    public void started(PlanAction action) {
      int n = started.incrementAndGet();
      if (kills.get() > 0) {
        startedAfterKill.incrementAndGet();
      }
      for (int i = 0; i < killAt.size(); i++) {
        if (n == killAt.get(i) + 1) {
          int which = i;
          // another thread kills a moment later, while this and other calls are in flight
          Thread killer = new Thread(() -> kill(which, n), "plugin-killer");
          killer.setDaemon(true);
          killer.start();
        }
      }
    }

    @Override
    public void finished(ActionOutcome outcome) {
      finished.incrementAndGet();
    }

    private void kill(int which, int atStart) {
      try {
        Thread.sleep(pauses[which]);
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      long pid = endpoint.current().pid();
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .ifPresent(
              process -> {
                // the apply cannot have returned before every action finished: a kill before that
                // is mid-apply
                boolean midApply = finished.get() < actions;
                process.destroyForcibly(); // SIGKILL
                kills.incrementAndGet();
                if (midApply) {
                  killsMidApply.incrementAndGet();
                }
                synchronized (points) {
                  points.add(atStart + "+" + pauses[which] + "ms");
                }
                try {
                  process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                  // checked by the assertions on the apply
                }
              });
    }

    void stop() {
      stopped = true;
    }
  }

  private static ApplyEngine engine(
      LaunchedPlugins plugins, HostConfig config, FailurePolicy policy, ApplyListener listener) {
    return new ApplyEngine(
        plugins.router(),
        new FileStateStore(config.stateFile()),
        new FileSecretStore(config.secretsFile()),
        ApplyOptions.builder()
            .failurePolicy(policy)
            .parallelism(8)
            .maxAttempts(3)
            .initialBackoff(Duration.ofMillis(10))
            .journal(new FileJournal(config.stateFile()))
            .build(),
        listener == null ? new ApplyListener() {} : listener);
  }

  private static Plan basePlan(String folder) {
    Plan.Builder plan = Plan.newBuilder().setId(folder + "-base");
    for (int i = 0; i < BASE_FILES; i++) {
      String name = folder + "-b" + i;
      plan.addActions(
          LocalFsWorld.create(
              "create-" + name, name, folder + "/b" + i + ".txt", "base " + i + "\n"));
    }
    return plan.build();
  }

  /**
   * Updates and deletes of the base files, and creates (a third depending on an earlier create).
   */
  private static Plan crashPlan(String folder, int trial, StateSnapshot state, Random random) {
    Plan.Builder plan = Plan.newBuilder().setId(folder + "-crash");
    for (ResourceState entry : state.getResourcesList()) {
      int roll = random.nextInt(10);
      if (roll < 4) {
        plan.addActions(
            LocalFsWorld.update(
                "update-" + entry.getName(),
                entry,
                "trial " + trial + " updated " + entry.getName() + "\n"));
      } else if (roll < 7) {
        plan.addActions(LocalFsWorld.delete("delete-" + entry.getName(), entry));
      }
    }
    int creates = MIN_ACTIONS - plan.getActionsCount() + 20;
    for (int i = 0; i < creates; i++) {
      String name = folder + "-n" + i;
      PlanAction create =
          LocalFsWorld.create(
              "create-" + name,
              name,
              folder + "/n" + i + ".txt",
              "trial " + trial + " new " + i + "\n");
      if (i > 0 && random.nextInt(3) == 0) {
        String dependency = folder + "-n" + random.nextInt(i);
        create =
            create.toBuilder()
                .setResource(create.getResource().toBuilder().addDependsOn(dependency))
                .build();
      }
      plan.addActions(create);
    }
    return plan.build();
  }

  /**
   * The files in {@code root/folder} (localfs's records and temporaries left out): path → content.
   */
  private static Map<String, String> world(String folder) throws IOException {
    Map<String, String> world = new TreeMap<>();
    try (Stream<Path> files = Files.list(root.resolve(folder))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().startsWith(".localfs")) {
          world.put(
              root.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return world;
  }

  /**
   * How {@code after} differs from {@code before} at paths no COMPENSATION_FAILED outcome names.
   */
  private static List<String> rollbackDifferences(
      Map<String, String> before, Map<String, String> after, Plan plan, ApplyResult result) {
    Set<String> named = new HashSet<>();
    for (int i = 0; i < plan.getActionsCount(); i++) {
      if (result.outcomes().get(i).getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED) {
        named.add(
            plan.getActions(i).getResource().getConfig().getFieldsOrThrow("path").getStringValue());
      }
    }
    List<String> differences = new ArrayList<>();
    Set<String> paths = new HashSet<>(before.keySet());
    paths.addAll(after.keySet());
    for (String path : new java.util.TreeSet<>(paths)) {
      if (named.contains(path) || java.util.Objects.equals(before.get(path), after.get(path))) {
        continue;
      }
      differences.add(
          path + " (before " + quote(before.get(path)) + ", after " + quote(after.get(path)) + ")");
    }
    return differences;
  }

  private static String quote(String content) {
    return content == null ? "absent" : "\"" + content.strip() + "\"";
  }
}
