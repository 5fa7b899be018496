package io.compensa.reliability.kills;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.embed.HostStores;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The kill campaign ({@code reliability/run kills}): the real CLI applies plans of localfs files
 * through the real localfs plugin, on the file store and on PostgreSQL, under every failure policy;
 * in each trial the plugin is SIGKILLed at a random moment (the host relaunches it) and then the
 * host itself, at another random moment; {@code compensa recover} finishes the apply. After every
 * trial: one outcome per plan action, the world equal to the state, the journal closed, the state
 * and journal readable, no process of the dead host left running, nothing left in {@code /tmp} or
 * in the localfs root. Prints and writes (JSON) trials, kills that landed, kill points, violations,
 * leaks and recover times. Measures; asserts nothing but exits 1 on a violation.
 */
public final class KillCampaign {
  private static final String FOLDER = "kills";

  private final Options options;
  private final Stats stats = new Stats();

  private KillCampaign(Options options) {
    this.options = options;
  }

  /**
   * {@code --host N --plugin N [--store file|postgres|both] [--workers W] [--seed S] [--out F]}.
   */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    KillCampaign campaign = new KillCampaign(options);
    int code = campaign.run();
    System.exit(code);
  }

  private int run() throws Exception {
    Path base = Files.createTempDirectory(Path.of("/tmp"), "compensa-kills-");
    System.err.printf(
        "kill campaign: %d host kills, %d plugin kills, store %s, %d workers, seed %d, in %s%n",
        options.hostKills, options.pluginKills, options.store, options.workers, options.seed, base);
    if (options.cliArchive == null) {
      options.cliArchive =
          new Worker(-1, base.resolve("train")).trainArchive(base.resolve("cli.jsa"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.workers);
    List<Future<?>> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (int w = 0; w < options.workers; w++) {
      int index = w;
      workers.add(pool.submit(() -> new Worker(index, base.resolve("w" + index)).run()));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double minutes = (System.nanoTime() - started) / 60e9;
    JsonObject summary = stats.summary(options, minutes);
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(summary);
    Files.createDirectories(options.out.toAbsolutePath().getParent());
    Files.writeString(options.out, json + "\n");
    System.out.println(json);
    System.err.println("kill campaign: written to " + options.out);
    if (stats.violations.isEmpty()) {
      deleteTree(base);
    }
    return stats.violations.isEmpty()
            && stats.leakedProcesses.get() == 0
            && stats.leakedFiles.get() == 0
        ? 0
        : 1;
  }

  /** One worker's trials, in its own directory and state. */
  private final class Worker {
    private final int index;
    private final Path dir;
    private final Path root;
    private final Random random;
    private final boolean postgres;
    private Path configFile;
    private final List<Long> previousHosts = new ArrayList<>();

    Worker(int index, Path dir) {
      this.index = index;
      this.dir = dir;
      this.root = dir.resolve("root");
      this.random = new Random(options.seed + index);
      this.postgres =
          options.store.equals("postgres") || (options.store.equals("both") && index % 2 == 1);
    }

    void run() {
      try {
        Files.createDirectories(root.resolve(FOLDER));
        configFile = writeConfig();
        int trial = 0;
        while (!stats.done(options)
            && trial < options.maxTrialsPerWorker
            && System.nanoTime() < options.deadline) {
          trial++;
          try {
            trial(trial);
          } catch (Exception e) {
            stats.violation(label(trial), "the trial itself failed: " + e);
          }
        }
      } catch (Exception e) {
        stats.violation("w" + index, "the worker could not start: " + e);
      }
    }

    /**
     * Runs one apply and one recover with the JDK's dynamic class-data archive written at exit, so
     * that every CLI the campaign starts loads its classes from it; null when none was written.
     */
    Path trainArchive(Path archive) throws Exception {
      Files.createDirectories(root.resolve(FOLDER));
      configFile = writeConfig();
      Path planFile = dir.resolve("plan.json");
      PlanFiles.write(plan("train", 0, StateSnapshot.getDefaultInstance()), planFile);
      List<String> extra = List.of("-XX:ArchiveClassesAtExit=" + archive);
      Process apply =
          cli(
              dir.resolve("apply.log"),
              extra,
              "apply",
              "--config",
              configFile.toString(),
              planFile.toString());
      apply.waitFor(120, TimeUnit.SECONDS);
      System.err.println(
          "kill campaign: class-data archive for the CLI "
              + (Files.exists(archive) ? "written: " + archive : "not written; going on without"));
      return Files.exists(archive) ? archive : null;
    }

    private String label(int trial) {
      return (postgres ? "pg" : "file") + "/w" + index + "/t" + trial;
    }

    private Path writeConfig() throws IOException {
      Path file = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "state/state.json");
      JsonObject top =
          com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      // the packaged plugin, as an operator runs it (its launcher uses the class-data archive)
      JsonArray command = new JsonArray();
      command.add(options.localfs.toString());
      top.getAsJsonObject("plugins").getAsJsonObject("localfs").add("command", command);
      Files.writeString(file, top.toString());
      if (postgres) {
        top.addProperty(
            "state",
            System.getenv("COMPENSA_TEST_PG_URL")
                + "?state=kills-"
                + options.seed
                + "-w"
                + index
                + "-"
                + System.nanoTime());
        Files.writeString(file, top.toString());
      }
      return file;
    }

    private HostStores stores() throws Exception {
      return HostStores.of(HostConfigReader.read(configFile));
    }

    private void trial(int trial) throws Exception {
      String label = label(trial);
      StateSnapshot before = stores().state().read();
      String policy = List.of("stop", "continue", "rollback").get(random.nextInt(3));
      Plan plan = plan(label.replace('/', '-'), trial, before);
      Path planFile = dir.resolve("plan.json");
      PlanFiles.write(plan, planFile);
      boolean killPlugin = stats.pluginKills.get() < options.pluginKills;
      boolean killHost = stats.hostKills.get() < options.hostKills;
      // kill moments count from the apply's first action (its first progress line), over about
      // the time an apply takes; one host kill in ten lands during start-up and plugin launch
      int span = (int) Math.max(400, 1.3 * stats.meanApplyMillis());
      boolean duringLaunch = killHost && random.nextInt(10) == 0;
      long pluginAt = killPlugin ? random.nextInt(span) : Long.MAX_VALUE;
      long hostAt = killHost ? random.nextInt(span) : Long.MAX_VALUE;
      if (killPlugin && killHost) {
        hostAt = pluginAt + random.nextInt(span);
      }
      if (duringLaunch) {
        hostAt = random.nextInt(1500);
      }
      Path log = dir.resolve("apply.log");
      Process host =
          cli(
              log,
              "apply",
              "--config",
              configFile.toString(),
              "--on-failure",
              policy,
              "--parallelism",
              "4",
              planFile.toString());
      long start = System.nanoTime();
      long began = -1;
      Set<ProcessHandle> seen = new HashSet<>();
      boolean pluginKilled = false;
      boolean hostKilled = false;
      while (host.isAlive()) {
        long sinceStart = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (began < 0 && Files.size(log) > 0 && Files.readString(log).contains("] start ")) {
          began = System.nanoTime();
        }
        long elapsed =
            duringLaunch
                ? sinceStart
                : began < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        host.descendants().forEach(seen::add);
        if (!pluginKilled && elapsed >= pluginAt) {
          Stream<ProcessHandle> plugins =
              host.descendants()
                  .filter(
                      p -> {
                        String line = p.info().commandLine().orElse("");
                        return line.contains(LocalFs.MAIN_CLASS)
                            || line.contains("compensa-localfs");
                      });
          for (ProcessHandle plugin : plugins.toList()) {
            if (plugin.destroyForcibly() && host.isAlive()) {
              pluginKilled = true;
              stats.pluginKills.incrementAndGet();
              stats.pluginKillPoints.merge(bucket(elapsed), 1, Integer::sum);
            }
          }
          if (!pluginKilled) {
            pluginAt = Long.MAX_VALUE; // no plugin running yet or any more: no kill this trial
          }
        }
        if (elapsed >= 0 && elapsed >= hostAt) {
          host.descendants().forEach(seen::add);
          host.destroyForcibly();
          hostKilled = true;
          stats.hostKills.incrementAndGet();
          stats.hostKillPoints.merge(bucket(elapsed), 1, Integer::sum);
          break;
        }
        if (sinceStart > 180_000) {
          stats.violation(label, "the apply ran for 3 minutes; killed");
          host.destroyForcibly();
          break;
        }
        Thread.sleep(3);
      }
      if (!host.waitFor(60, TimeUnit.SECONDS)) {
        stats.violation(label, "the host did not end 60 s after SIGKILL");
      }
      int trials = stats.trials.incrementAndGet();
      if (trials % 25 == 0) {
        System.err.printf(
            "kill campaign: %d trials, %d host kills, %d plugin kills, %d violations%n",
            trials, stats.hostKills.get(), stats.pluginKills.get(), stats.violations.size());
      }
      if (!hostKilled) {
        stats.finishedByItself.incrementAndGet();
        if (began > 0 && !pluginKilled) {
          stats.applyMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
        if (host.exitValue() > 1) {
          stats.violation(label, "apply exited " + host.exitValue() + ": " + tail(log));
        }
      }
      // what the dead host started: the orphan guards stop plugins within a second or so
      for (ProcessHandle orphan : seen) {
        try {
          orphan.onExit().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          stats.leakedProcesses.incrementAndGet();
          stats.violation(
              label,
              "process "
                  + orphan.pid()
                  + " "
                  + orphan.info().commandLine().orElse("?")
                  + " outlived its host by 20 s");
          orphan.destroyForcibly();
        }
      }
      // a host killed while it launched (or relaunched) its plugin, before it connected, leaves
      // the socket directory until the next host starts (SocketDirectory); one killed at any other
      // moment leaves nothing
      List<Path> left = socketDirectoriesOf(host.pid());
      stats.leftUntilNextStart.addAndGet(left.size());
      for (long dead : previousHosts) {
        List<Path> stale = socketDirectoriesOf(dead);
        if (!stale.isEmpty()) {
          stats.leakedFiles.addAndGet(stale.size());
          stats.violation(label, "the next host did not remove " + stale);
        }
      }
      previousHosts.clear();
      if (!left.isEmpty()) {
        previousHosts.add(host.pid());
      }

      HostStores stores = stores();
      if (stores.journal().unfinished().isPresent()) {
        Path recoverLog = dir.resolve("recover.log");
        long recoverStart = System.nanoTime();
        Process recover = cli(recoverLog, "recover", "--config", configFile.toString());
        if (!recover.waitFor(180, TimeUnit.SECONDS)) {
          recover.destroyForcibly();
          stats.violation(label, "recover did not finish in 180 s");
          return;
        }
        stats.recoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoverStart));
        if (recover.exitValue() > 1) {
          stats.violation(label, "recover exited " + recover.exitValue() + ": " + tail(recoverLog));
        }
        stats.recovered.incrementAndGet();
      } else if (hostKilled) {
        stats.killedOutsideTheJournal.incrementAndGet();
      }
      if (stores().journal().unfinished().isPresent()) {
        stats.violation(label, "the journal is still unfinished after recover");
      }
      StateSnapshot after = stores().state().read();
      if (after.getFinishedApply().getPlanId().equals(plan.getId())) {
        List<String> broken = invariantOne(plan, after.getFinishedApply().getOutcomesList());
        if (!broken.isEmpty()) {
          stats.violation(label, "invariant 1: " + broken);
        }
        stats.byPolicy.merge(policy, 1, Integer::sum);
      } else if (!hostKilled) {
        stats.violation(label, "the apply finished but the state does not say so");
      }
      LocalFsWorld.Comparison comparison = LocalFsWorld.compare(after, root, FOLDER);
      if (comparison.leaks()) {
        stats.leakedFiles.addAndGet(comparison.localfsTemporaries().size());
        stats.violation(label, "state != world: " + comparison);
      }
    }

    private Process cli(Path log, String... args) throws IOException {
      return cli(log, List.of(), args);
    }

    private Process cli(Path log, List<String> jvmOptions, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(LocalFs.java());
      command.addAll(jvmOptions);
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      if (options.cliArchive != null) {
        command.add("-XX:SharedArchiveFile=" + options.cliArchive);
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("io.compensa.host.cli.CompensaCli");
      command.addAll(List.of(args));
      return new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    }

    /** Updates, replaces and deletes over what the state holds, and creates: 20 to 60 actions. */
    private Plan plan(String id, int trial, StateSnapshot state) {
      Plan.Builder plan = Plan.newBuilder().setId(id);
      int target = 20 + random.nextInt(41);
      for (ResourceState entry : state.getResourcesList()) {
        if (plan.getActionsCount() >= target * 2 / 3) {
          break;
        }
        int roll = random.nextInt(8);
        if (roll < 2) {
          plan.addActions(
              hooks(
                  LocalFsWorld.update(
                      "u" + trial + "-" + entry.getName(), entry, id + " updated\n")));
        } else if (roll == 2) {
          plan.addActions(hooks(LocalFsWorld.delete("d" + trial + "-" + entry.getName(), entry)));
        } else if (roll == 3) {
          plan.addActions(hooks(replace("r" + trial + "-" + entry.getName(), entry, id)));
        }
      }
      for (int i = 0; plan.getActionsCount() < target; i++) {
        String name = "f" + trial + "-" + i;
        plan.addActions(
            hooks(
                LocalFsWorld.create(
                    "c" + trial + "-" + name,
                    name,
                    FOLDER + "/" + name + ".txt",
                    id + " " + i + "\n")));
      }
      return plan.build();
    }

    /** A replace: the same file under a new path (localfs replaces on a path change). */
    private PlanAction replace(String actionId, ResourceState current, String id) {
      String path = current.getConfig().getFieldsOrThrow("path").getStringValue();
      String moved = path.replace(".txt", "") + "-r.txt";
      return PlanAction.newBuilder()
          .setId(actionId)
          .setKind(ActionKind.ACTION_KIND_REPLACE)
          .setResource(
              ResourceSpec.newBuilder()
                  .setName(current.getName())
                  .setType(current.getType())
                  .setConfig(LocalFsWorld.fileConfig(moved, id + " replaced\n")))
          .setCurrent(current)
          .build();
    }

    /** Some actions get a command hook: one in ten fails (compensation), one in ten is slow. */
    private PlanAction hooks(PlanAction action) {
      int roll = random.nextInt(10);
      if (roll == 0) {
        return withHook(action, "sh", "-c", "exit 3");
      }
      if (roll == 1) {
        return withHook(action, "sleep", "0.3");
      }
      return action;
    }

    private PlanAction withHook(PlanAction action, String... command) {
      return action.toBuilder()
          .addCommandHooks(
              CommandHook.newBuilder().addAllCommand(List.of(command)).setTimeoutSeconds(30))
          .build();
    }
  }

  private static List<String> invariantOne(Plan plan, List<ActionOutcome> outcomes) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (ActionOutcome outcome : outcomes) {
      counts.merge(outcome.getActionId(), 1, Integer::sum);
      if (outcome.getStatus() == ActionStatus.ACTION_STATUS_UNSPECIFIED
          || outcome.getStatus() == ActionStatus.UNRECOGNIZED) {
        problems.add(outcome.getActionId() + " ended " + outcome.getStatus());
      }
    }
    for (PlanAction action : plan.getActionsList()) {
      Integer count = counts.remove(action.getId());
      if (count == null || count != 1) {
        problems.add(action.getId() + " has " + (count == null ? 0 : count) + " outcomes");
      }
    }
    counts.keySet().forEach(id -> problems.add("an outcome for " + id + ", not in the plan"));
    return problems;
  }

  private static List<Path> socketDirectoriesOf(long pid) throws IOException {
    try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
      return tmp.filter(p -> p.getFileName().toString().startsWith("cpa" + pid + ".")).toList();
    }
  }

  private static String bucket(long millis) {
    long from = millis / 500 * 500;
    return String.format("%05d-%05d ms", from, from + 499);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path base) throws IOException {
    try (Stream<Path> walk = Files.walk(base)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** What the campaign counts; thread-safe. */
  private static final class Stats {
    final AtomicInteger trials = new AtomicInteger();
    final AtomicInteger hostKills = new AtomicInteger();
    final AtomicInteger pluginKills = new AtomicInteger();
    final AtomicInteger finishedByItself = new AtomicInteger();
    final AtomicInteger recovered = new AtomicInteger();
    final AtomicInteger killedOutsideTheJournal = new AtomicInteger();
    final AtomicInteger leakedProcesses = new AtomicInteger();
    final AtomicInteger leakedFiles = new AtomicInteger();
    final AtomicInteger leftUntilNextStart = new AtomicInteger();
    final List<Long> applyMillis = java.util.Collections.synchronizedList(new ArrayList<>());

    double meanApplyMillis() {
      synchronized (applyMillis) {
        return applyMillis.stream().mapToLong(t -> t).average().orElse(1000);
      }
    }

    final Map<String, Integer> hostKillPoints = new java.util.concurrent.ConcurrentSkipListMap<>();
    final Map<String, Integer> pluginKillPoints =
        new java.util.concurrent.ConcurrentSkipListMap<>();
    final Map<String, Integer> byPolicy = new java.util.concurrent.ConcurrentSkipListMap<>();
    final List<Long> recoverMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    boolean done(Options options) {
      return hostKills.get() >= options.hostKills && pluginKills.get() >= options.pluginKills;
    }

    void violation(String trial, String what) {
      String line = trial + ": " + what;
      violations.add(line);
      System.err.println("VIOLATION " + line);
    }

    JsonObject summary(Options options, double minutes) {
      JsonObject json = new JsonObject();
      json.addProperty("date", Instant.now().toString());
      json.addProperty("seed", options.seed);
      json.addProperty("store", options.store);
      json.addProperty("workers", options.workers);
      json.addProperty("minutes", Math.round(minutes * 10) / 10.0);
      json.addProperty("trials", trials.get());
      json.addProperty("host_kills", hostKills.get());
      json.addProperty("plugin_kills", pluginKills.get());
      json.addProperty("applies_finished_by_themselves", finishedByItself.get());
      json.addProperty("recovers", recovered.get());
      json.addProperty("host_kills_before_the_journal_began", killedOutsideTheJournal.get());
      json.addProperty("violations", violations.size());
      json.addProperty("leaked_processes", leakedProcesses.get());
      json.addProperty("leaked_files_or_directories", leakedFiles.get());
      json.addProperty(
          "socket_directories_left_by_hosts_killed_before_connecting_removed_by_the_next_host",
          leftUntilNextStart.get());
      json.addProperty("mean_apply_ms_first_action_to_exit", Math.round(meanApplyMillis()));
      List<Long> times;
      synchronized (recoverMillis) {
        times = new ArrayList<>(recoverMillis);
      }
      times.sort(null);
      json.addProperty(
          "recover_ms_mean",
          times.isEmpty() ? 0 : Math.round(times.stream().mapToLong(t -> t).average().orElse(0)));
      json.addProperty("recover_ms_p50", times.isEmpty() ? 0 : times.get(times.size() / 2));
      json.addProperty("recover_ms_max", times.isEmpty() ? 0 : times.get(times.size() - 1));
      json.add("host_kill_points", toJson(hostKillPoints));
      json.add("plugin_kill_points", toJson(pluginKillPoints));
      json.add("checked_trials_by_policy", toJson(byPolicy));
      JsonArray list = new JsonArray();
      synchronized (violations) {
        violations.stream().limit(100).forEach(list::add);
      }
      json.add("violation_details", list);
      return json;
    }

    private static JsonObject toJson(Map<String, Integer> map) {
      JsonObject json = new JsonObject();
      map.forEach(json::addProperty);
      return json;
    }
  }

  /** The command line. */
  private static final class Options {
    int hostKills = 100;
    int pluginKills = 100;
    String store = "both";
    int workers = 2;
    long seed = System.nanoTime();
    int maxTrialsPerWorker;
    Path out = Path.of("reliability/results/kills.json");
    Path localfs = Path.of("sample-plugins/localfs/target/compensa-localfs").toAbsolutePath();
    Path cliArchive;
    long deadline = Long.MAX_VALUE;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--host" -> options.hostKills = Integer.parseInt(require(args[i], value));
          case "--plugin" -> options.pluginKills = Integer.parseInt(require(args[i], value));
          case "--store" -> options.store = require(args[i], value);
          case "--workers" -> options.workers = Integer.parseInt(require(args[i], value));
          case "--seed" -> options.seed = Long.parseLong(require(args[i], value));
          case "--out" -> options.out = Path.of(require(args[i], value));
          case "--minutes" ->
              options.deadline =
                  System.nanoTime() + (long) (Double.parseDouble(require(args[i], value)) * 60e9);
          case "--localfs" -> options.localfs = Path.of(require(args[i], value)).toAbsolutePath();
          case "--cli-archive" -> options.cliArchive = Path.of(require(args[i], value));
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; usage: kills --host N --plugin N"
                      + " [--store file|postgres|both] [--workers W] [--seed S] [--out FILE]");
        }
        i++;
      }
      if (!Set.of("file", "postgres", "both").contains(options.store)) {
        throw new IllegalArgumentException("--store must be file, postgres or both");
      }
      if (!options.store.equals("file") && System.getenv("COMPENSA_TEST_PG_URL") == null) {
        throw new IllegalArgumentException(
            "--store "
                + options.store
                + " needs PostgreSQL: reliability/run starts one (.ci/postgres.sh)");
      }
      options.maxTrialsPerWorker =
          3 * Math.max(options.hostKills, options.pluginKills) / options.workers + 10;
      return options;
    }

    private static String require(String option, String value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return value;
    }
  }
}
