package io.compensa.bench;

import com.google.gson.GsonBuilder;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.PluginLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Compares JVM option sets for one Java sample plugin, with the Go plugin as the reference, all
 * under the Compensa host in one JVM, launches interleaved round by round: the way to tell whether
 * an SDK or JVM setting helps when the machine's own figures move by ±20% between runs.
 *
 * <p>Each variant is a string of JVM options given to the plugin in {@code
 * COMPENSA_PLUGIN_JAVA_OPTS} ({@code ""} for the plugin's defaults); an SDK change can be compared
 * with itself by reading a temporary system property. Usage: {@code OptionsBench [--plugin
 * localfs|credentials] [--rounds N] [--calls N] [--concurrent-ms N] [--warmup-ms N] [--out FILE]
 * [--repo DIR] OPTIONS...}. Prints a table of medians with each variant's ratio to the Go plugin
 * and writes it as JSON ({@code bench/results/options.json}).
 */
public final class OptionsBench {
  private static final int CONCURRENCY = 8;

  private OptionsBench() {}

  /** Runs the comparison. */
  public static void main(String[] args) throws Exception {
    PluginLauncher.preferVforkLaunch();
    run(args);
  }

  /** Runs the comparison, prints it, writes the JSON file and returns what it wrote. */
  static Map<String, Object> run(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.plugin", "warn");
    String plugin = "localfs";
    int rounds = 5;
    int calls = 5000;
    Duration concurrentTime = Duration.ofMillis(1500);
    Duration warmUp = Duration.ofSeconds(6);
    Path out = Path.of("bench/results/options.json");
    Path repo = Path.of("").toAbsolutePath();
    List<String> variants = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--plugin" -> plugin = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--concurrent-ms" -> concurrentTime = Duration.ofMillis(Long.parseLong(args[++i]));
        case "--warmup-ms" -> warmUp = Duration.ofMillis(Long.parseLong(args[++i]));
        case "--out" -> out = Path.of(args[++i]);
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        default -> {
          if (args[i].startsWith("--")) {
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (use --plugin NAME,"
                    + " --rounds N, --calls N, --concurrent-ms N, --warmup-ms N, --out FILE,"
                    + " --repo DIR, then one quoted string of JVM options per variant)");
          }
          variants.add(args[i]);
        }
      }
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one variant: a quoted string of the"
              + " plugin's JVM options, \"\" for its defaults");
    }
    String wanted = "java " + plugin;
    Subject java =
        Subject.samples(repo).stream()
            .filter(s -> s.name().equals(wanted))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no Java sample plugin " + wanted + " (localfs or credentials)"));
    Path jar =
        java.executable().getParent().getParent().resolve("target/compensa-" + plugin + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with mvn -q install -DskipTests");
    }
    Subject go =
        Subject.samples(repo).stream()
            .filter(
                s -> s.name().equals(SuiteBench.GO_PLUGIN) && Files.isExecutable(s.executable()))
            .findFirst()
            .orElse(null);
    if (go == null) {
      System.out.println("go-kv is not built (interop/build.sh): no reference column");
    }

    CompensaHostRun host = new CompensaHostRun();
    Path scratch = Files.createTempDirectory("compensa-options");
    System.out.printf(Locale.ROOT, "warming the host's JIT up for %d ms%n", warmUp.toMillis());
    host.warmUp(
        java,
        Files.createTempDirectory(scratch, "warm"),
        1000,
        CONCURRENCY,
        Duration.ofMillis(500),
        warmUp);
    Map<String, List<ProcessFigures>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      if (go != null) {
        results
            .computeIfAbsent("go-kv (reference)", k -> new ArrayList<>())
            .add(
                host.run(
                    go,
                    LaunchOptions.Transport.UNIX,
                    Files.createTempDirectory(scratch, "go"),
                    calls,
                    CONCURRENCY,
                    concurrentTime));
      }
      for (String options : variants) {
        results
            .computeIfAbsent(options, k -> new ArrayList<>())
            .add(
                host.run(
                    java,
                    LaunchOptions.Transport.UNIX,
                    Files.createTempDirectory(scratch, "java"),
                    calls,
                    CONCURRENCY,
                    concurrentTime,
                    Map.of("COMPENSA_PLUGIN_JAVA_OPTS", options)));
      }
      System.out.printf(Locale.ROOT, "round %d of %d done%n", round + 1, rounds);
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    List<ProcessFigures> reference = go == null ? null : results.get("go-kv (reference)");
    System.out.printf(
        Locale.ROOT,
        "%n%-48s %9s %9s %9s %10s %8s %9s %9s%n",
        "plugin JVM options",
        "ready ms",
        "p50 µs",
        "p99 µs",
        "calls/s",
        "RSS MiB",
        "p50 / go",
        "rate / go");
    for (Map.Entry<String, List<ProcessFigures>> entry : results.entrySet()) {
      List<ProcessFigures> runs = entry.getValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("variant", entry.getKey());
      row.put("ready_ms", median(runs, ProcessFigures::readyMillis));
      row.put("p50_us", median(runs, ProcessFigures::p50Micros));
      row.put("p99_us", median(runs, ProcessFigures::p99Micros));
      row.put("calls_per_s", median(runs, ProcessFigures::callsPerSecond));
      row.put("rss_mib", median(runs, ProcessFigures::rssMiB));
      row.put("p50_per_round_us", runs.stream().map(ProcessFigures::p50Micros).toList());
      row.put("calls_per_s_per_round", runs.stream().map(ProcessFigures::callsPerSecond).toList());
      double p50Ratio =
          reference == null
              ? Double.NaN
              : (double) row.get("p50_us") / median(reference, ProcessFigures::p50Micros);
      double rateRatio =
          reference == null
              ? Double.NaN
              : (double) row.get("calls_per_s") / median(reference, ProcessFigures::callsPerSecond);
      row.put("p50_ratio_to_go", p50Ratio);
      row.put("calls_per_s_ratio_to_go", rateRatio);
      rows.add(row);
      System.out.printf(
          Locale.ROOT,
          "%-48s %9.1f %9.1f %9.1f %10.0f %8.1f %9.2f %9.2f%n",
          entry.getKey().isEmpty() ? "(the plugin's defaults)" : entry.getKey(),
          row.get("ready_ms"),
          row.get("p50_us"),
          row.get("p99_us"),
          row.get("calls_per_s"),
          row.get("rss_mib"),
          p50Ratio,
          rateRatio);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("when", Instant.now().toString());
    json.put("plugin", wanted);
    json.put("rounds", rounds);
    json.put("sequential_calls", calls);
    json.put("concurrency", CONCURRENCY);
    json.put("concurrent_ms", concurrentTime.toMillis());
    json.put("variants", rows);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(
        out,
        new GsonBuilder()
                .setPrettyPrinting()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(json)
            + "\n");
    System.out.println("written to " + out);
    return json;
  }

  private static double median(List<ProcessFigures> runs, ToDoubleFunction<ProcessFigures> pick) {
    return Figures.median(runs.stream().map(pick::applyAsDouble).toList());
  }
}
