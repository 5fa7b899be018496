package io.compensa.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.PluginLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark suite ({@code bench/run suite}). Every sample plugin under the Compensa host and
 * under the Go host built with go-plugin ({@code interop/go-host}), in the same run, interleaved
 * launch by launch, with the ratio per row; then the Java SDK plugins against the Go plugin, both
 * under the Compensa host over Unix sockets, from the same launches; then the engine's figures in a
 * JVM of its own ({@link EngineBench}). Prints the tables and writes them as JSON ({@code
 * bench/results/suite.json}). Measures and prints; asserts nothing.
 *
 * <p>Before measuring, the host JVM's first use (one launch, whose class loading is reported apart)
 * and a JIT warm-up (launches with calls, {@code --warmup-ms}, 12 s by default) run; neither is in
 * the tables, as the Go host is compiled ahead of time. Without the warm-up the first rounds
 * measure the JIT: on 2 cores the host's calls/s climbs from ~7k to ~19k over its first ~10 s.
 *
 * <p>Usage: {@code SuiteBench [--long] [--rounds N] [--calls N] [--concurrent-ms N] [--warmup-ms N]
 * [--out FILE] [--only NAME[,NAME]] [--repo DIR] [--no-go-host] [--no-engine] [--engine-sizes
 * 1000,10000] [--engine-repeats N] [--engine-large N] [--no-cli] [--cli-rounds N]}; the CLI's
 * section is {@link CliBench}.
 */
public final class SuiteBench {
  static final int CONCURRENCY = 8;

  /** The sample whose ratios against the Go host the issue sets targets for. */
  static final String GO_PLUGIN = "go go-kv";

  private SuiteBench() {}

  /** Runs the suite. */
  public static void main(String[] args) throws Exception {
    // as the compensa CLI does: the host as operators run it
    PluginLauncher.preferVforkLaunch();
    run(args);
  }

  /** Runs the suite, prints it, writes the JSON file and returns what it wrote. */
  static Map<String, Object> run(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.plugin", "warn");
    int rounds = 5;
    int calls = 2000;
    Duration concurrentTime = Duration.ofSeconds(1);
    // on 2 busy cores the JIT needs ~10 s of calls before the host's rate stops climbing
    Duration warmUp = Duration.ofSeconds(12);
    List<String> engineArgs = new ArrayList<>(List.of("--repeats", "3"));
    Path out = Path.of("bench/results/suite.json");
    List<String> only = List.of();
    Path repo = Path.of("").toAbsolutePath();
    boolean engine = true;
    boolean withGoHost = true;
    int cliRounds = 9; // 0: no CLI section
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--long" -> {
          rounds = 15;
          calls = 10000;
          concurrentTime = Duration.ofSeconds(3);
          engineArgs.addAll(List.of("--repeats", "7"));
        }
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--concurrent-ms" -> concurrentTime = Duration.ofMillis(Long.parseLong(args[++i]));
        case "--warmup-ms" -> warmUp = Duration.ofMillis(Long.parseLong(args[++i]));
        case "--out" -> out = Path.of(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--no-engine" -> engine = false;
        case "--no-go-host" -> withGoHost = false;
        case "--no-cli" -> cliRounds = 0;
        case "--cli-rounds" -> cliRounds = Integer.parseInt(args[++i]);
        case "--engine-sizes" -> engineArgs.addAll(List.of("--sizes", args[++i]));
        case "--engine-repeats" -> engineArgs.addAll(List.of("--repeats", args[++i]));
        case "--engine-large" -> engineArgs.addAll(List.of("--large", args[++i]));
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (use --long, --rounds N, --calls N, --concurrent-ms N, --warmup-ms N, --out FILE,"
                    + " --only NAME[,NAME], --repo DIR, --no-go-host, --no-engine, --no-cli,"
                    + " --cli-rounds N,"
                    + " --engine-sizes 1000,10000, --engine-repeats N, --engine-large N)");
      }
    }
    Path goHost = repo.resolve("interop/go-host/bin/go-host");
    if (withGoHost && !Files.isExecutable(goHost)) {
      throw new IllegalStateException(
          goHost
              + " is missing: build it with interop/go-host/build.sh"
              + " (bench/run suite does), or leave the Go host out with --no-go-host");
    }
    List<Subject> subjects = new ArrayList<>();
    for (Subject subject : Subject.samples(repo)) {
      if (!only.isEmpty() && only.stream().noneMatch(subject.name()::contains)) {
        continue;
      }
      if (!Files.isExecutable(subject.executable())) {
        System.err.println(
            "bench: skipping "
                + subject.name()
                + ": "
                + subject.executable()
                + " is missing (interop/build.sh builds it)");
        continue;
      }
      subjects.add(subject);
    }
    if (subjects.isEmpty()) {
      throw new IllegalStateException("no sample plugin to measure (--only " + only + ")");
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("when", Instant.now().toString());
    json.put("machine", machine());
    json.put("rounds", rounds);
    json.put("sequential_calls", calls);
    json.put("concurrency", CONCURRENCY);
    json.put("concurrent_ms", concurrentTime.toMillis());
    json.put(
        "host_process_launch_mechanism",
        System.getProperty("jdk.lang.Process.launchMechanism", "the JDK's default"));
    System.out.println(
        "machine: "
            + json.get("machine")
            + "; the host starts processes with "
            + json.get("host_process_launch_mechanism"));
    System.out.printf(
        Locale.ROOT,
        "%d rounds, interleaved; per launch: %d sequential Reads (after"
            + " %d unmeasured), then %d callers for %d ms%n",
        rounds,
        calls,
        calls / 2,
        CONCURRENCY,
        concurrentTime.toMillis());

    CompensaHostRun compensa = new CompensaHostRun();
    GoHostRun go = new GoHostRun(goHost);
    Path scratch = Files.createTempDirectory("compensa-bench");
    // the host JVM's own first use (class loading) and its JIT warm-up are reported apart
    Subject warmSubject =
        subjects.stream()
            .filter(s -> s.name().equals(GO_PLUGIN))
            .findFirst()
            .orElse(subjects.get(0));
    ProcessFigures first =
        compensa.run(
            warmSubject,
            LaunchOptions.Transport.UNIX,
            Files.createTempDirectory(scratch, "first"),
            10,
            CONCURRENCY,
            Duration.ofMillis(50));
    json.put("compensa_host_first_use_plugin", warmSubject.name());
    json.put("compensa_host_first_use_ready_ms", Figures.round(first.readyMillis()));
    json.put("compensa_host_first_use_first_read_ms", Figures.round(first.launchMillis()));
    long warmStart = System.nanoTime();
    List<Double> warmRates =
        compensa.warmUp(
            warmSubject,
            Files.createTempDirectory(scratch, "warm"),
            calls,
            CONCURRENCY,
            concurrentTime,
            warmUp);
    double warmMillis = (System.nanoTime() - warmStart) / 1e6;
    json.put("compensa_host_jit_warmup_ms", Figures.round(warmMillis));
    json.put(
        "compensa_host_jit_warmup_calls_per_s", warmRates.stream().map(Figures::round).toList());
    System.out.printf(
        Locale.ROOT,
        "Compensa host's first use, not in the tables: launch → ready"
            + " %.1f ms, → first Read reply %.1f ms (%s, JVM class loading); then %.0f ms of JIT"
            + " warm-up: %d launches, calls/s %s%n%n",
        first.readyMillis(),
        first.launchMillis(),
        warmSubject.name(),
        warmMillis,
        warmRates.size(),
        warmRates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());

    // every (plugin, transport, host) gets one launch per round, in one interleaved sequence
    record Slot(Subject subject, boolean unix) {
      String where() {
        return subject.name() + " / " + (unix ? "unix" : "tcp");
      }
    }
    List<Slot> slots = new ArrayList<>();
    for (Subject subject : subjects) {
      slots.add(new Slot(subject, true));
      if (subject.tcp()) {
        slots.add(new Slot(subject, false));
      }
    }
    Map<Slot, List<ProcessFigures>> ours = new LinkedHashMap<>();
    Map<Slot, List<ProcessFigures>> theirs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      Path dir = Files.createTempDirectory(scratch, "round");
      for (int s = 0; s < slots.size(); s++) {
        Slot slot = slots.get(s);
        // alternate which host goes first so neither always meets a warmer page cache
        for (int side = 0; side < 2; side++) {
          if ((side + round + s) % 2 == 0) {
            ours.computeIfAbsent(slot, k -> new ArrayList<>())
                .add(
                    compensa.run(
                        slot.subject(),
                        slot.unix() ? LaunchOptions.Transport.UNIX : LaunchOptions.Transport.TCP,
                        dir,
                        calls,
                        CONCURRENCY,
                        concurrentTime));
          } else if (withGoHost) {
            theirs
                .computeIfAbsent(slot, k -> new ArrayList<>())
                .add(go.run(slot.subject(), slot.unix(), dir, calls, CONCURRENCY, concurrentTime));
          }
        }
      }
    }

    List<Row> rows = new ArrayList<>();
    for (Slot slot : slots) {
      List<ProcessFigures> mine = ours.get(slot);
      List<ProcessFigures> goHosts = theirs.getOrDefault(slot, List.of());
      boolean targeted = slot.subject().name().equals(GO_PLUGIN);
      for (Figure figure : Figure.values()) {
        rows.add(
            Row.of(slot.where(), figure, mine, goHosts, targeted ? figure.goHostTarget : null));
      }
    }
    System.out.println(
        "Each sample plugin under the Compensa host and under the Go host"
            + " (go-plugin); ratio = Compensa / Go, the median of the rounds' ratios (their range under"
            + " \"rounds\")");
    printRows(rows, "Compensa host", "Go host", "ratio");
    json.put("processes", rows.stream().map(r -> r.json("compensa_host", "go_host")).toList());

    Slot goUnix =
        slots.stream()
            .filter(s -> s.unix() && s.subject().name().equals(GO_PLUGIN))
            .findFirst()
            .orElse(null);
    List<Row> sdkRows = new ArrayList<>();
    for (Slot slot : slots) {
      if (goUnix == null || !slot.unix() || !isSdkPlugin(slot.subject())) {
        continue;
      }
      for (Figure figure : Figure.values()) {
        sdkRows.add(
            Row.of(
                slot.subject().name() + " vs go-kv / unix",
                figure,
                ours.get(slot),
                ours.get(goUnix),
                figure.sdkTarget));
      }
    }
    if (!sdkRows.isEmpty()) {
      System.out.println();
      System.out.println(
          "Java SDK plugins against the Go plugin, both under the Compensa host,"
              + " same rounds; ratio = Java / Go, the median of the rounds' ratios");
      printRows(sdkRows, "Java plugin", "Go plugin", "ratio");
    }
    json.put(
        "java_plugins_vs_go_plugin",
        sdkRows.stream().map(r -> r.json("java_plugin", "go_plugin")).toList());

    if (cliRounds > 0) {
      System.out.println();
      json.put("cli", CliBench.measure(repo, withGoHost, cliRounds));
    }

    if (engine) {
      try {
        Map<String, Object> engineFigures = engine(engineArgs);
        System.out.println();
        engineFigures.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-48s %s%n", k, v));
        json.put("engine", engineFigures);
      } catch (IOException e) {
        // the process figures above are still worth writing
        System.err.println("bench: " + e.getMessage());
        json.put("engine_error", e.getMessage());
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
    System.out.println("written to " + out);
    return json;
  }

  /** A Java SDK plugin, on the JVM or as its native executable. */
  static boolean isSdkPlugin(Subject subject) {
    return subject.name().startsWith("java ") || subject.name().startsWith("native ");
  }

  /** A figure measured on every launch, with the targets for it. */
  enum Figure {
    READY(
        "launch → ready (ms)",
        ProcessFigures::readyMillis,
        // issue 21: the host's launch of go-kv on par with go-plugin's own host
        Target.ratio("≤", 1.1),
        // issue 21: a Java SDK plugin ready in 100 ms
        Target.absolute("≤", 100, "ms")),
    // the plugin's own start-up work, which other processes on the cores barely move
    READY_CPU("  plugin CPU until ready (ms)", ProcessFigures::readyCpuMillis, null, null),
    FIRST_READ("launch → first Read reply (ms)", ProcessFigures::launchMillis, null, null),
    P50(
        "Read round trip p50 (µs)",
        ProcessFigures::p50Micros,
        Target.ratio("≤", 0.8),
        Target.ratio("≤", 0.8)),
    P99("Read round trip p99 (µs)", ProcessFigures::p99Micros, null, null),
    RATE(
        "calls/s, 8 callers",
        ProcessFigures::callsPerSecond,
        Target.ratio("≥", 1.0),
        Target.ratio("≥", 1.0)),
    RSS(
        "plugin RSS after load (MiB)",
        ProcessFigures::rssMiB,
        null,
        // issue 21: a Java SDK plugin holding at most 64 MiB after load
        Target.absolute("≤", 64, "MiB")),
    // the parts of that RSS: anonymous (the process's own) and file-backed (the jar, JDK libraries,
    // class-data archive or AOT cache mapped: shareable, and dropped first under pressure)
    RSS_ANON("  of it anonymous (RssAnon, MiB)", ProcessFigures::rssAnonMiB, null, null),
    RSS_FILE("  of it file-backed (RssFile, MiB)", ProcessFigures::rssFileMiB, null, null);

    final String label;
    final ToDoubleFunction<ProcessFigures> pick;

    /** The target of the Compensa host against the Go host, on the Go plugin. */
    final Target goHostTarget;

    /** The target of a Java SDK plugin against the Go plugin under the Compensa host. */
    final Target sdkTarget;

    Figure(
        String label,
        ToDoubleFunction<ProcessFigures> pick,
        Target goHostTarget,
        Target sdkTarget) {
      this.label = label;
      this.pick = pick;
      this.goHostTarget = goHostTarget;
      this.sdkTarget = sdkTarget;
    }
  }

  /**
   * One of the targets: on the ratio, or on the first figure itself.
   *
   * @param atMost whether the figure must be at most {@code bound} (else at least)
   */
  record Target(boolean onRatio, boolean atMost, double bound, String unit) {
    static Target ratio(String sign, double bound) {
      return new Target(true, sign.equals("≤"), bound, "x");
    }

    static Target absolute(String sign, double bound, String unit) {
      return new Target(false, sign.equals("≤"), bound, " " + unit);
    }

    boolean met(double figure, double ratio) {
      double value = onRatio ? ratio : figure;
      return atMost ? value <= bound : value >= bound;
    }

    @Override
    public String toString() {
      return (atMost ? "≤ " : "≥ ")
          + (onRatio
              ? String.format(Locale.ROOT, "%.2f", bound)
              : String.format(Locale.ROOT, "%.0f", bound))
          + unit;
    }
  }

  /**
   * One figure of one plugin on both sides: medians over the rounds, and their ratio. Both sides
   * launch once in each round, one right after the other, so the ratio judged is the median of the
   * rounds' own ratios: a round on a slow moment of the machine is slow on both sides, and its
   * ratio is not. The ratio of the two medians and the rounds' lowest and highest ratios are
   * reported beside it.
   */
  record Row(
      String plugin,
      String figure,
      double first,
      double second,
      List<Double> roundRatios,
      Target target) {
    static Row of(
        String plugin,
        Figure figure,
        List<ProcessFigures> firsts,
        List<ProcessFigures> seconds,
        Target target) {
      List<Double> ratios = new ArrayList<>();
      if (firsts.size() == seconds.size()) {
        for (int round = 0; round < firsts.size(); round++) {
          double ratio =
              figure.pick.applyAsDouble(firsts.get(round))
                  / figure.pick.applyAsDouble(seconds.get(round));
          if (!Double.isNaN(ratio)) {
            ratios.add(ratio);
          }
        }
      }
      return new Row(
          plugin,
          figure.label,
          median(firsts, figure.pick),
          median(seconds, figure.pick),
          List.copyOf(ratios),
          target);
    }

    private static double median(List<ProcessFigures> runs, ToDoubleFunction<ProcessFigures> pick) {
      return Figures.median(runs.stream().map(pick::applyAsDouble).toList());
    }

    /** The median of the rounds' ratios; the ratio of the medians if the rounds do not pair. */
    double ratio() {
      return roundRatios.isEmpty() ? ratioOfMedians() : Figures.median(roundRatios);
    }

    double ratioOfMedians() {
      return first / second;
    }

    /** The rounds' lowest and highest ratios, e.g. "0.91-1.12", or empty. */
    String spread() {
      if (roundRatios.isEmpty()) {
        return "";
      }
      return String.format(
          Locale.ROOT, "%.2f-%.2f", Collections.min(roundRatios), Collections.max(roundRatios));
    }

    /** "met" or "NOT met" when the row has a target it could be judged by, else empty. */
    String verdict() {
      if (target == null || Double.isNaN(target.onRatio() ? ratio() : first)) {
        return "";
      }
      return target.met(first, ratio()) ? "met" : "NOT met";
    }

    Map<String, Object> json(String firstName, String secondName) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("plugin", plugin);
      row.put("figure", figure);
      // a side not measured (no Go host) is null, not a number
      row.put(firstName, Double.isNaN(first) ? null : Figures.round(first));
      row.put(secondName, Double.isNaN(second) ? null : Figures.round(second));
      row.put("ratio", Double.isNaN(ratio()) ? null : round2(ratio()));
      row.put("ratio_of_medians", Double.isNaN(ratioOfMedians()) ? null : round2(ratioOfMedians()));
      row.put("round_ratios", roundRatios.stream().map(Row::round2).toList());
      if (target != null) {
        row.put("target", target.toString());
        row.put("met", verdict().isEmpty() ? null : target.met(first, ratio()));
      }
      return row;
    }

    private static double round2(double value) {
      return Math.round(value * 100) / 100.0;
    }
  }

  private static void printRows(List<Row> rows, String first, String second, String ratio) {
    String format = "%-36s %-32s %13s %13s %7s %11s  %-9s %s%n";
    System.out.printf(
        Locale.ROOT,
        format,
        "plugin / transport",
        "figure (median of rounds)",
        first,
        second,
        ratio,
        "rounds",
        "target",
        "");
    for (Row row : rows) {
      System.out.printf(
          Locale.ROOT,
          format,
          row.plugin(),
          row.figure(),
          String.format(Locale.ROOT, "%.1f", row.first()),
          String.format(Locale.ROOT, "%.1f", row.second()),
          String.format(Locale.ROOT, "%.2f", row.ratio()),
          row.spread(),
          row.target() == null ? "" : row.target(),
          row.verdict());
    }
  }

  /** Runs {@link EngineBench} in a JVM of its own and returns its figures. */
  static Map<String, Object> engine(List<String> engineArgs)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EngineBench.class.getName()));
    command.addAll(engineArgs);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("the engine benchmark failed: " + output);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    JsonParser.parseString(output)
        .getAsJsonObject()
        .entrySet()
        .forEach(e -> figures.put(e.getKey(), e.getValue().getAsDouble()));
    return figures;
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: the core count still says something
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + cpu
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + System.getProperty("java.version");
  }
}
