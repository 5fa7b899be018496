package io.compensa.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.compensa.host.launch.LaunchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The benchmark suite ({@code bench/run suite}): every sample plugin under the Compensa host and,
 * in the same run and interleaved launch by launch, under the Go host built with go-plugin
 * ({@code interop/go-host}), with the ratio per row; then the engine's figures in a JVM of its own
 * ({@link EngineBench}). Prints a table and writes {@code bench/results/suite.json}. Measures and
 * prints; asserts nothing.
 *
 * <p>Usage: {@code SuiteBench [--long] [--rounds N] [--calls N] [--out FILE] [--only NAME]}.
 */
public final class SuiteBench {
  private static final int CONCURRENCY = 8;

  private SuiteBench() {}

  /** Runs the suite. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.plugin", "warn");
    int rounds = 5;
    int calls = 2000;
    Duration concurrentTime = Duration.ofSeconds(1);
    List<String> engineArgs = new ArrayList<>(List.of("--repeats", "3"));
    Path out = Path.of("bench/results/suite.json");
    String only = null;
    boolean engine = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--long" -> {
          rounds = 15;
          calls = 10000;
          concurrentTime = Duration.ofSeconds(3);
          engineArgs = new ArrayList<>(List.of("--repeats", "7"));
        }
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--only" -> only = args[++i];
        case "--no-engine" -> engine = false;
        case "--engine-sizes" -> engineArgs.addAll(List.of("--sizes", args[++i]));
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --long, --rounds N, --calls N, --out FILE, --only NAME, --no-engine,"
            + " --engine-sizes 1000,10000)");
      }
    }
    Path repo = Path.of("").toAbsolutePath();
    Path goHost = repo.resolve("interop/go-host/bin/go-host");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("when", Instant.now().toString());
    json.put("machine", machine());
    json.put("rounds", rounds);
    json.put("sequential_calls", calls);
    json.put("concurrency", CONCURRENCY);

    List<Row> rows = new ArrayList<>();
    CompensaHostRun compensa = new CompensaHostRun();
    GoHostRun go = new GoHostRun(goHost);
    Path scratch = Files.createTempDirectory("compensa-bench");
    // the host JVM's own first use (class loading, JIT) is reported apart, not in the rows
    long firstStart = System.nanoTime();
    compensa.run(Subject.samples(repo).get(0), LaunchOptions.Transport.UNIX, scratch, 200,
        CONCURRENCY, Duration.ofMillis(300));
    json.put("compensa_host_first_use_ms", Figures.round((System.nanoTime() - firstStart) / 1e6));
    for (Subject subject : Subject.samples(repo)) {
      if (only != null && !subject.name().contains(only)) {
        continue;
      }
      if (!Files.isExecutable(subject.executable())) {
        System.err.println("bench: skipping " + subject.name() + ": " + subject.executable()
            + " is missing (interop/build.sh builds it)");
        continue;
      }
      for (boolean unix : subject.tcp() ? new boolean[] {true, false} : new boolean[] {true}) {
        List<ProcessFigures> ours = new ArrayList<>();
        List<ProcessFigures> theirs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          Path dir = Files.createTempDirectory(scratch, "round");
          // alternate which host goes first so neither always meets a warmer page cache
          for (int side = 0; side < 2; side++) {
            if ((side + round) % 2 == 0) {
              ours.add(compensa.run(subject,
                  unix ? LaunchOptions.Transport.UNIX : LaunchOptions.Transport.TCP, dir, calls,
                  CONCURRENCY, concurrentTime));
            } else {
              theirs.add(go.run(subject, unix, dir, calls, CONCURRENCY, concurrentTime));
            }
          }
        }
        String where = subject.name() + " / " + (unix ? "unix" : "tcp");
        rows.add(Row.of(where, "launch → first Read reply (ms)", ours, theirs, ProcessFigures::launchMillis));
        rows.add(Row.of(where, "Read round trip p50 (µs)", ours, theirs, ProcessFigures::p50Micros));
        rows.add(Row.of(where, "Read round trip p99 (µs)", ours, theirs, ProcessFigures::p99Micros));
        rows.add(Row.of(where, "calls/s, 8 callers", ours, theirs, ProcessFigures::callsPerSecond));
        rows.add(Row.of(where, "plugin RSS after load (MiB)", ours, theirs, ProcessFigures::rssMiB));
      }
    }
    printRows(rows);
    json.put("processes", rows.stream().map(Row::json).toList());
    if (engine) {
      Map<String, Object> engineFigures = engine(engineArgs);
      System.out.println();
      engineFigures.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-48s %s%n", k, v));
      json.put("engine", engineFigures);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    System.out.println("written to " + out);
  }

  /** One figure of one plugin under both hosts: medians over the rounds, and their ratio. */
  record Row(String plugin, String figure, double compensa, double go) {
    static Row of(String plugin, String figure, List<ProcessFigures> ours,
        List<ProcessFigures> theirs, ToDoubleFunction<ProcessFigures> pick) {
      return new Row(plugin, figure, Figures.median(ours.stream().map(pick::applyAsDouble).toList()),
          Figures.median(theirs.stream().map(pick::applyAsDouble).toList()));
    }

    double ratio() {
      return compensa / go;
    }

    Map<String, Object> json() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("plugin", plugin);
      row.put("figure", figure);
      row.put("compensa_host", Figures.round(compensa));
      row.put("go_host", Figures.round(go));
      row.put("ratio", Math.round(ratio() * 100) / 100.0);
      return row;
    }
  }

  private static void printRows(List<Row> rows) {
    String format = "%-32s %-32s %14s %14s %7s%n";
    System.out.printf(Locale.ROOT, format, "plugin / transport", "figure (median of rounds)",
        "Compensa host", "Go host", "ratio");
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, format, row.plugin(), row.figure(),
          String.format(Locale.ROOT, "%.1f", row.compensa()),
          String.format(Locale.ROOT, "%.1f", row.go()),
          String.format(Locale.ROOT, "%.2f", row.ratio()));
    }
  }

  /** Runs {@link EngineBench} in a JVM of its own and returns its figures. */
  private static Map<String, Object> engine(List<String> engineArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EngineBench.class.getName()));
    command.addAll(engineArgs);
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("the engine benchmark failed: " + output);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    JsonParser.parseString(output).getAsJsonObject().entrySet()
        .forEach(e -> figures.put(e.getKey(), e.getValue().getAsDouble()));
    return figures;
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: the core count still says something
    }
    return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
        + System.getProperty("java.version");
  }
}
