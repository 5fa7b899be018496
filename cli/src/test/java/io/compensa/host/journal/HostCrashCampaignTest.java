package io.compensa.host.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host crash campaign: a child JVM runs {@code compensa apply} (the real CLI) over a plan of at
 * least 200 localfs files and is killed with SIGKILL at a random moment; then recover runs in this
 * JVM. After every trial: invariant 1, state == world, the state and journal parse, a second
 * recover finds nothing, and an apply before recover was refused.
 *
 * <p>{@code -Dcompensa.crash.trials=N} (default 50) and {@code -Dcompensa.crash.seed=S} (default:
 * the clock, printed) control the run. The first trial creates 200 files; each later one mixes
 * updates and deletes over what the state then holds with new creates, at least 200 actions.
 *
 * <p>The campaign fails when fewer than a fifth of its trials (at least one) killed the host
 * mid-engine: after some action's call was journaled and before every action had its outcome. A
 * campaign whose kills all land before the first action or after the last tests nothing.
 */
class HostCrashCampaignTest {
  private static final String FOLDER = "crash";
  private static final int MIN_ACTIONS = 200;

  @TempDir static Path dir;
  static Path root;
  static Path configFile;
  static HostConfig config;
  static LaunchedPlugins plugins;

  @BeforeAll
  static void launch() throws Exception {
    root = dir.resolve("root");
    Files.createDirectories(root.resolve(FOLDER));
    configFile = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "state/state.json");
    config = HostConfigReader.read(configFile);
    plugins = LaunchedPlugins.launch(config);
  }

  @AfterAll
  static void close() {
    if (plugins != null) {
      plugins.close();
    }
  }

  private static ApplyEngine engine() {
    return new ApplyEngine(
        plugins.router(),
        new FileStateStore(config.stateFile()),
        new FileSecretStore(config.secretsFile()),
        ApplyOptions.builder().parallelism(8).journal(new FileJournal(config.stateFile())).build(),
        new ApplyListener() {});
  }

  @Test
  // 50 trials of a 200-action apply in a child JVM, each bounded by its own 120 s wait: ~3 min on a
  // quiet 2-core machine, so more than the suite's default 5 min leaves room for a busy one
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void aHostKilledAtAnyMomentIsRecoveredWithOneOutcomePerActionAndStateEqualToWorld()
      throws Exception {
    long seed = Long.getLong("compensa.crash.seed", System.nanoTime());
    int trials = Integer.getInteger("compensa.crash.trials", 50);
    System.out.println(
        "[host crash campaign] seed "
            + seed
            + " (-Dcompensa.crash.seed="
            + seed
            + "), trials "
            + trials);
    Random random = new Random(seed);
    FileJournal journal = new FileJournal(config.stateFile());
    List<String> failures = new ArrayList<>();
    TreeMap<Integer, Integer> killedAtDecile = new TreeMap<>();
    int recovered = 0;
    int finishedBeforeKill = 0;
    int killedBeforeJournal = 0;
    int refusedBeforeRecover = 0;
    int temporaries = 0;
    int orphansKilled = 0;
    int killedMidEngine = 0;
    List<String> killPoints = new ArrayList<>();
    for (int trial = 1; trial <= trials; trial++) {
      StateSnapshot before = new FileStateStore(config.stateFile()).read();
      Plan plan = plan(trial, before, random);
      Path planFile = dir.resolve("plans").resolve("plan-" + trial + ".json");
      PlanFiles.write(plan, planFile);
      // the previous apply's journal is complete; removing it lets the kill point count this
      // apply's lines
      Files.deleteIfExists(journal.file());
      // kill points: half by journal progress (lines written), most others a random delay after the
      // journal began, a few a random delay after the child started (before or during plugin
      // launch)
      int mode = random.nextInt(8);
      boolean byLines = mode < 4;
      boolean fromStart = mode == 7;
      int expectedLines = 4 * plan.getActionsCount() + 3; // intent, result, state record, outcome
      int killAtLines = random.nextInt(expectedLines);
      long killAfterMillis = fromStart ? random.nextInt(2500) : random.nextInt(4000);
      Path log = dir.resolve("logs").resolve("apply-" + trial + ".log");
      Files.createDirectories(log.getParent());
      Process child =
          new ProcessBuilder(childCommand(planFile))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long started = System.nanoTime();
      long journalBegan = -1;
      int linesAtKill = 0;
      boolean exitedByItself = false;
      while (true) {
        if (!child.isAlive()) {
          exitedByItself = true;
          break;
        }
        linesAtKill = lines(journal.file());
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (journalBegan < 0 && linesAtKill > 0) {
          journalBegan = elapsed;
        }
        boolean due =
            byLines
                ? linesAtKill >= killAtLines && linesAtKill > 0
                : fromStart
                    ? elapsed >= killAfterMillis
                    : journalBegan >= 0 && elapsed - journalBegan >= killAfterMillis;
        if (due) {
          break;
        }
        if (elapsed > 120_000) {
          failures.add(
              "trial "
                  + trial
                  + ": the child apply neither finished nor reached the kill point in 120 s");
          break;
        }
        Thread.sleep(2);
      }
      List<ProcessHandle> descendants = child.descendants().toList();
      int filesAtKill = LocalFsWorld.filesIn(root, FOLDER);
      if (!exitedByItself) {
        child.destroyForcibly(); // SIGKILL
      }
      child.waitFor(30, TimeUnit.SECONDS);
      // the orphaned plugin notices its host is gone and exits; recovery starts after it did, as an
      // operator's would
      for (ProcessHandle orphan : descendants) {
        try {
          orphan.onExit().get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          orphan.destroyForcibly();
          orphansKilled++;
        }
      }
      if (exitedByItself) {
        finishedBeforeKill++;
        killPoints.add("t" + trial + ":finished(exit " + child.exitValue() + ")");
        if (child.exitValue() != 0) {
          List<String> lines = Files.readAllLines(log);
          System.out.println(
              "[host crash campaign] trial "
                  + trial
                  + " finished with exit "
                  + child.exitValue()
                  + ": "
                  + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
      } else {
        killPoints.add(
            "t"
                + trial
                + ":"
                + (byLines
                    ? "lines>=" + killAtLines
                    : (fromStart ? "start+" : "journal+") + killAfterMillis + "ms")
                + "→"
                + linesAtKill
                + "L/"
                + filesAtKill
                + "F");
        killedAtDecile.merge(Math.min(9, linesAtKill * 10 / expectedLines), 1, Integer::sum);
      }

      // the state and the journal parse, whatever moment the kill hit
      Optional<JournalLog> unfinished = journal.unfinished();
      new FileStateStore(config.stateFile()).read();
      if (unfinished.isEmpty() && !exitedByItself) {
        killedBeforeJournal++;
      }
      if (unfinished.isPresent()) {
        Plan refused = Plan.newBuilder().setId("refused-" + trial).build();
        assertThatThrownBy(() -> engine().apply(refused, "test"))
            .as("trial %d: apply before recover", trial)
            .isInstanceOf(UnfinishedApplyException.class)
            .hasMessageContaining("run `compensa recover`");
        refusedBeforeRecover++;
        if (!exitedByItself && midEngine(plan, unfinished.get())) {
          killedMidEngine++;
        }
        Optional<ApplyResult> result = engine().recover("test recover " + trial);
        assertThat(result).as("trial %d: recover", trial).isPresent();
        recovered++;
        List<String> broken = LocalFsWorld.invariantOne(unfinished.get().plan(), result.get());
        if (!broken.isEmpty()) {
          failures.add("trial " + trial + ": invariant 1: " + broken);
        }
        if (!unfinished.get().plan().getId().equals(plan.getId())) {
          failures.add(
              "trial " + trial + ": the journal's plan is " + unfinished.get().plan().getId());
        }
      }
      assertThat(engine().recover("second recover " + trial))
          .as("trial %d: second recover", trial)
          .isEmpty();
      assertThat(journal.unfinished()).isEmpty();
      StateSnapshot after = new FileStateStore(config.stateFile()).read();
      LocalFsWorld.Comparison comparison = LocalFsWorld.compare(after, root, FOLDER);
      temporaries += comparison.localfsTemporaries().size();
      if (comparison.leaks()) {
        for (String unknown : comparison.unknownFiles()) {
          String name = Path.of(unknown).getFileName().toString().replace(".txt", "");
          String quoted = "-" + name + "\"";
          System.out.println(
              "[host crash campaign] trial " + trial + ": journal records of " + name + ":");
          Files.readAllLines(journal.file()).stream()
              .filter(l -> l.contains(quoted))
              .map(l -> l.length() > 400 ? l.substring(0, 400) : l)
              .forEach(l -> System.out.println("    " + l));
        }
        failures.add(
            "trial "
                + trial
                + " ("
                + killPoints.get(killPoints.size() - 1)
                + "): state != world: "
                + comparison
                + "; child log "
                + log);
      }
    }
    System.out.println(
        "[host crash campaign] seed "
            + seed
            + ": "
            + trials
            + " trials, "
            + killedMidEngine
            + " killed mid-engine, "
            + recovered
            + " recovered, "
            + finishedBeforeKill
            + " finished before the kill point, "
            + killedBeforeJournal
            + " killed before the journal began, "
            + refusedBeforeRecover
            + " applies refused before recover, "
            + orphansKilled
            + " orphaned plugins that had to be killed, "
            + temporaries
            + " localfs temporaries left, "
            + failures.size()
            + " failures");
    System.out.println(
        "[host crash campaign] kill points by tenth of the apply's journal (0 = start): "
            + killedAtDecile);
    System.out.println(
        "[host crash campaign] kill points (L = journal lines, F = files on disk): " + killPoints);
    assertThat(failures).as("seed " + seed).isEmpty();
    assertThat(killedMidEngine)
        .as("seed %d: trials whose kill landed mid-engine, of %d", seed, trials)
        .isGreaterThanOrEqualTo(Math.max(1, trials / 5));
  }

  /**
   * Whether the journal shows the kill landed mid-engine: some action's call was journaled (or it
   * ended) and not every action has its outcome.
   */
  private static boolean midEngine(Plan plan, JournalLog log) {
    boolean begun = false;
    boolean allEnded = true;
    for (var action : plan.getActionsList()) {
      boolean ended = log.outcome(action.getId()).isPresent();
      begun |= ended || !log.calls(action.getId()).isEmpty();
      allEnded &= ended;
    }
    return begun && !allEnded;
  }

  /**
   * The first plan creates 200 files; later ones update and delete some of what exists, and create.
   */
  private static Plan plan(int trial, StateSnapshot state, Random random) {
    Plan.Builder plan = Plan.newBuilder().setId("crash-" + trial);
    for (ResourceState entry : state.getResourcesList()) {
      int roll = random.nextInt(6);
      if (roll < 2) {
        plan.addActions(
            LocalFsWorld.update(
                "t" + trial + "-update-" + entry.getName(),
                entry,
                "trial " + trial + " updated " + entry.getName() + "\n"));
      } else if (roll == 2) {
        plan.addActions(LocalFsWorld.delete("t" + trial + "-delete-" + entry.getName(), entry));
      }
    }
    int creates = Math.max(40, MIN_ACTIONS - plan.getActionsCount());
    for (int i = 0; i < creates; i++) {
      String name = "f" + trial + "-" + i;
      plan.addActions(
          LocalFsWorld.create(
              "t" + trial + "-create-" + name,
              name,
              FOLDER + "/" + name + ".txt",
              "trial " + trial + " file " + i + "\n"));
    }
    return plan.build();
  }

  private static List<String> childCommand(Path planFile) {
    List<String> command = new ArrayList<>();
    command.add(LocalFs.java());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.compensa.host.cli.CompensaCli");
    command.add("apply");
    command.add("--config");
    command.add(configFile.toString());
    command.add("--parallelism");
    command.add("8");
    command.add(planFile.toString());
    return command;
  }

  private static int lines(Path file) {
    try {
      byte[] content = Files.readAllBytes(file);
      int lines = 0;
      for (byte b : content) {
        if (b == '\n') {
          lines++;
        }
      }
      return lines;
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
