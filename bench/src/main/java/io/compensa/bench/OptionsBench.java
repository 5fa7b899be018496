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
 * with itself by reading a temporary system property. A variant that starts with {@code java=PATH}
 * runs the plugin on that JVM (a java executable or a Java home, given to the launcher as {@code
 * COMPENSA_PLUGIN_JAVA}), e.g. {@code "java=/usr/lib/jvm/temurin-25-jdk-amd64
 * -XX:+UseCompactObjectHeaders"}; words {@code env:NAME=VALUE} before the options add to the
 * plugin's environment. Usage: {@code OptionsBench [--plugin localfs|credentials] [--rounds N]
 * [--calls N] [--concurrent-ms N] [--warmup-ms N] [--out FILE] [--repo DIR] VARIANT...}. Prints a
 * table of medians with each variant's ratio to the Go plugin, then each variant's ratio to the
 * first one, round by round (median and range), and writes them as JSON ({@code
 * bench/results/options.json}).
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
      // the order turns round by round, so no variant always follows the same one
      for (int v = 0; v < variants.size(); v++) {
        String options = variants.get((v + round) % variants.size());
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
                    environment(options)));
      }
      System.out.printf(Locale.ROOT, "round %d of %d done%n", round + 1, rounds);
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    List<ProcessFigures> reference = go == null ? null : results.get("go-kv (reference)");
    System.out.printf(
        Locale.ROOT,
        "%n%-48s %9s %9s %9s %9s %10s %8s %8s %8s %9s %9s%n",
        "plugin JVM options",
        "ready ms",
        "cpu ms",
        "p50 µs",
        "p99 µs",
        "calls/s",
        "RSS MiB",
        "anon",
        "file",
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
      row.put("ready_cpu_ms", median(runs, ProcessFigures::readyCpuMillis));
      row.put("rss_mib", median(runs, ProcessFigures::rssMiB));
      row.put("rss_anon_mib", median(runs, ProcessFigures::rssAnonMiB));
      row.put("rss_file_mib", median(runs, ProcessFigures::rssFileMiB));
      row.put("ready_ms_per_round", runs.stream().map(ProcessFigures::readyMillis).toList());
      row.put("rss_mib_per_round", runs.stream().map(ProcessFigures::rssMiB).toList());
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
          "%-48s %9.1f %9.1f %9.1f %9.1f %10.0f %8.1f %8.1f %8.1f %9.2f %9.2f%n",
          label(entry.getKey()),
          row.get("ready_ms"),
          row.get("ready_cpu_ms"),
          row.get("p50_us"),
          row.get("p99_us"),
          row.get("calls_per_s"),
          row.get("rss_mib"),
          row.get("rss_anon_mib"),
          row.get("rss_file_mib"),
          p50Ratio,
          rateRatio);
    }
    // each variant against the first, pair by pair: both launched in the same round
    List<ProcessFigures> first = results.get(variants.get(0));
    System.out.printf(
        Locale.ROOT,
        "%nagainst the first variant (%s), the median of the rounds' ratios [lowest-highest]%n",
        label(variants.get(0)));
    System.out.printf(
        Locale.ROOT,
        "%-48s %-22s %-22s %-22s %-22s%n",
        "variant",
        "ready",
        "CPU until ready",
        "RSS",
        "RssAnon");
    for (int v = 1; v < variants.size(); v++) {
      List<ProcessFigures> runs = results.get(variants.get(v));
      Map<String, Object> row = rows.get(rows.size() - variants.size() + v);
      String ready = pairs(first, runs, ProcessFigures::readyMillis, row, "ready_ratio");
      String cpu = pairs(first, runs, ProcessFigures::readyCpuMillis, row, "ready_cpu_ratio");
      String rss = pairs(first, runs, ProcessFigures::rssMiB, row, "rss_ratio");
      String anon = pairs(first, runs, ProcessFigures::rssAnonMiB, row, "rss_anon_ratio");
      System.out.printf(
          Locale.ROOT,
          "%-48s %-22s %-22s %-22s %-22s%n",
          label(variants.get(v)),
          ready,
          cpu,
          rss,
          anon);
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

  /**
   * The plugin's environment for a variant: {@code java=PATH} first picks the JVM ({@code
   * COMPENSA_PLUGIN_JAVA}), the rest are JVM options ({@code COMPENSA_PLUGIN_JAVA_OPTS}).
   */
  static Map<String, String> environment(String variant) {
    String options = variant.strip();
    Map<String, String> env = new LinkedHashMap<>();
    while (options.startsWith("java=") || options.startsWith("env:")) {
      int end = options.indexOf(' ');
      String word = options.substring(0, end < 0 ? options.length() : end);
      options = end < 0 ? "" : options.substring(end + 1).strip();
      if (word.startsWith("java=")) {
        env.put("COMPENSA_PLUGIN_JAVA", word.substring("java=".length()));
      } else if (word.indexOf('=') > "env:".length()) {
        env.put(
            word.substring("env:".length(), word.indexOf('=')),
            word.substring(word.indexOf('=') + 1));
      } else {
        throw new IllegalArgumentException(
            "\"" + word + "\" in variant \"" + variant + "\": write env:NAME=VALUE");
      }
    }
    env.put("COMPENSA_PLUGIN_JAVA_OPTS", options);
    return env;
  }

  private static String label(String variant) {
    return variant.isEmpty() ? "(the plugin's defaults)" : variant;
  }

  /** Round-by-round ratios of {@code runs} to {@code first}: "median [low-high]", into the row. */
  private static String pairs(
      List<ProcessFigures> first,
      List<ProcessFigures> runs,
      ToDoubleFunction<ProcessFigures> pick,
      Map<String, Object> row,
      String key) {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < Math.min(first.size(), runs.size()); round++) {
      ratios.add(pick.applyAsDouble(runs.get(round)) / pick.applyAsDouble(first.get(round)));
    }
    double median = Figures.median(ratios);
    double low = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double high = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    row.put(key, median);
    row.put(key + "_range", List.of(low, high));
    return String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", median, low, high);
  }

  private static double median(List<ProcessFigures> runs, ToDoubleFunction<ProcessFigures> pick) {
    return Figures.median(runs.stream().map(pick::applyAsDouble).toList());
  }
}
