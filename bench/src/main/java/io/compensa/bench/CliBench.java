package io.compensa.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CLI as an operator runs it ({@code bench/run cli}, and a section of {@code bench/run suite}):
 * the whole process of {@code bin/compensa describe} of the localfs plugin, {@code plan} and {@code
 * apply} on the quickstart, and {@code state list}, each against the whole process of the go-plugin
 * Go host ({@code interop/go-host}) launching the same plugin, calling Describe, one Create and one
 * Read, and exiting. Pair by pair: in each round every command runs right after or right before a
 * Go host run (the order alternates), and the ratio judged is the median of the pairs' ratios, with
 * their range. Each run's peak RSS (the largest process of its tree, from the kernel's rusage
 * through {@code /usr/bin/time}) and CPU time are reported beside the wall time. Measures and
 * prints; asserts nothing.
 *
 * <p>Usage: {@code CliBench [--rounds N] [--repo DIR] [--out FILE] [--no-go-host]}; the defaults
 * are 9 rounds, the working directory and {@code bench/results/cli.json}.
 */
public final class CliBench {
  private static final Path TIME = Path.of("/usr/bin/time");

  private CliBench() {}

  /** Runs the CLI figures alone, prints them and writes them as JSON. */
  public static void main(String[] args) throws Exception {
    int rounds = 9;
    Path repo = Path.of("").toAbsolutePath();
    Path out = Path.of("bench/results/cli.json");
    boolean goHost = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--out" -> out = Path.of(args[++i]);
        case "--no-go-host" -> goHost = false;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (use --rounds N, --repo DIR, --out FILE, --no-go-host)");
      }
    }
    Map<String, Object> json = measure(repo, goHost, rounds);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
    System.out.println("written to " + out);
  }

  /**
   * Measures {@code rounds} interleaved rounds in a scratch folder, prints the table and returns
   * the figures as JSON-ready maps.
   *
   * @param withGoHost whether to run the Go host (without it, the ratios are empty)
   */
  static Map<String, Object> measure(Path repo, boolean withGoHost, int rounds)
      throws IOException, InterruptedException {
    Path compensa = repo.resolve("bin/compensa");
    Path localfs = repo.resolve("sample-plugins/localfs/bin/compensa-localfs");
    Path goHost = repo.resolve("interop/go-host/bin/go-host");
    if (!Files.isRegularFile(repo.resolve("cli/target/compensa.jar"))
        || !Files.isExecutable(localfs)) {
      throw new IllegalStateException(
          "the CLI's jar or the localfs plugin is missing under "
              + repo
              + ": build them with mvn -q install -DskipTests");
    }
    if (withGoHost && !Files.isExecutable(goHost)) {
      throw new IllegalStateException(
          goHost + " is missing: build it with interop/go-host/build.sh, or pass --no-go-host");
    }
    Path scratch = Files.createTempDirectory("compensa-cli-bench");
    Path quickstart = scratch.resolve("quickstart");
    Run setup =
        run(List.of(compensa.toString(), "quickstart", "--dir", quickstart.toString()), scratch);
    if (setup.exit != 0) {
      throw new IOException("compensa quickstart failed: " + setup.err);
    }
    String config = quickstart.resolve("compensa.json").toString();
    // an apply needs a state its plan was made from: each round applies the first quickstart
    // plan (three creates) to a fresh copy of the folder, planned there beforehand, unmeasured
    Path applyTemplate = scratch.resolve("apply-template");
    Files.createDirectories(applyTemplate.resolve("world"));
    Files.copy(quickstart.resolve("compensa.json"), applyTemplate.resolve("compensa.json"));
    Files.copy(quickstart.resolve("resources.json"), applyTemplate.resolve("resources.json"));

    List<Command> commands =
        List.of(
            new Command("describe localfs", List.of("describe", localfs.toString()), null, 1.5),
            new Command(
                "plan (quickstart)",
                List.of(
                    "plan",
                    "--config",
                    config,
                    "-o",
                    scratch.resolve("plan.json").toString(),
                    quickstart.resolve("resources-v2.json").toString()),
                500.0,
                null),
            new Command("apply (quickstart, 3 creates)", List.of("apply"), null, null),
            new Command("state list", List.of("state", "list", "--config", config), 150.0, null));

    Map<Command, List<Run>> ours = new LinkedHashMap<>();
    Map<Command, List<Run>> theirs = new LinkedHashMap<>();
    // one unmeasured run of each first: the page cache, not the start, is what it warms
    for (int round = -1; round < rounds; round++) {
      for (int c = 0; c < commands.size(); c++) {
        Command command = commands.get(c);
        List<String> cli = new ArrayList<>(List.of(compensa.toString()));
        if (command.args.equals(List.of("apply"))) {
          Path folder = scratch.resolve("apply-" + round);
          copy(applyTemplate, folder);
          String applyConfig = folder.resolve("compensa.json").toString();
          String plan = folder.resolve("plan.json").toString();
          Run planned =
              run(
                  List.of(
                      compensa.toString(),
                      "plan",
                      "--config",
                      applyConfig,
                      "-o",
                      plan,
                      folder.resolve("resources.json").toString()),
                  folder);
          if (planned.exit != 0) {
            throw new IOException("the plan before an apply failed: " + planned.err);
          }
          cli.addAll(List.of("apply", "--config", applyConfig, plan));
        } else {
          cli.addAll(command.args);
        }
        Path goRoot = Files.createDirectories(scratch.resolve("go-" + round + "-" + c));
        List<String> go =
            List.of(
                goHost.toString(),
                "-plugin",
                localfs.toString(),
                "-plugin-config",
                "{\"root\": \"" + goRoot + "\"}",
                "-type",
                "localfs_file",
                "-config",
                "{\"path\": \"a.txt\", \"content\": \"hello\", \"mode\": \"0644\"}",
                "-log-level",
                "error");
        Run mine = null;
        Run other = null;
        for (int side = 0; side < 2; side++) {
          if ((side + round + c) % 2 == 0) {
            mine = run(cli, scratch);
            if (mine.exit != 0) {
              throw new IOException(String.join(" ", cli) + " failed: " + mine.err);
            }
          } else if (withGoHost) {
            other = run(go, goRoot);
            if (other.exit != 0) {
              throw new IOException("the Go host failed: " + other.err);
            }
          }
        }
        if (round >= 0) {
          ours.computeIfAbsent(command, k -> new ArrayList<>()).add(mine);
          if (other != null) {
            theirs.computeIfAbsent(command, k -> new ArrayList<>()).add(other);
          }
        }
      }
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    String format = "%-30s %-22s %11s %11s %7s %11s  %-9s %s%n";
    System.out.println(
        "The compensa CLI, whole process (bin/compensa), against the Go host (go-plugin) launching"
            + " localfs + Describe + Create + Read, pair by pair over "
            + rounds
            + " rounds; ratio = CLI / Go host, the median of the pairs' ratios (their range under"
            + " \"pairs\")");
    System.out.printf(
        Locale.ROOT,
        format,
        "command",
        "figure (median)",
        "compensa",
        "Go host",
        "ratio",
        "pairs",
        "target",
        "");
    for (Command command : commands) {
      List<Run> mine = ours.get(command);
      List<Run> other = theirs.getOrDefault(command, List.of());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("command", command.name);
      row.put("compensa_ms", round(median(mine, Run::wallMillis)));
      row.put("go_host_ms", other.isEmpty() ? null : round(median(other, Run::wallMillis)));
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < other.size(); i++) {
        ratios.add(mine.get(i).wallMillis / other.get(i).wallMillis);
      }
      double ratio = ratios.isEmpty() ? Double.NaN : Figures.median(ratios);
      row.put("ratio", ratios.isEmpty() ? null : round2(ratio));
      row.put("pair_ratios", ratios.stream().map(CliBench::round2).toList());
      row.put("compensa_ms_each", mine.stream().map(r -> round(r.wallMillis)).toList());
      row.put("compensa_cpu_ms", round(median(mine, Run::cpuMillis)));
      row.put("go_host_cpu_ms", other.isEmpty() ? null : round(median(other, Run::cpuMillis)));
      row.put("compensa_peak_rss_mib", round(median(mine, Run::peakRssMiB)));
      row.put(
          "go_host_peak_rss_mib", other.isEmpty() ? null : round(median(other, Run::peakRssMiB)));
      String target = "";
      String verdict = "";
      if (command.ratioTarget != null) {
        target = String.format(Locale.ROOT, "≤ %.2fx", command.ratioTarget);
        verdict = ratios.isEmpty() ? "" : ratio <= command.ratioTarget ? "met" : "NOT met";
      } else if (command.millisTarget != null) {
        target = String.format(Locale.ROOT, "≤ %.0f ms", command.millisTarget);
        verdict = median(mine, Run::wallMillis) <= command.millisTarget ? "met" : "NOT met";
      }
      if (!target.isEmpty()) {
        row.put("target", target);
        row.put("met", verdict.isEmpty() ? null : verdict.equals("met"));
      }
      rows.add(row);
      String spread =
          ratios.isEmpty()
              ? ""
              : String.format(
                  Locale.ROOT, "%.2f-%.2f", Collections.min(ratios), Collections.max(ratios));
      System.out.printf(
          Locale.ROOT,
          format,
          command.name,
          "wall (ms)",
          fmt(median(mine, Run::wallMillis)),
          fmt(median(other, Run::wallMillis)),
          Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio),
          spread,
          target,
          verdict);
      System.out.printf(
          Locale.ROOT,
          format,
          "",
          "CPU, user+sys (ms)",
          fmt(median(mine, Run::cpuMillis)),
          fmt(median(other, Run::cpuMillis)),
          "",
          "",
          "",
          "");
      System.out.printf(
          Locale.ROOT,
          format,
          "",
          "peak RSS (MiB)",
          fmt(median(mine, Run::peakRssMiB)),
          fmt(median(other, Run::peakRssMiB)),
          "",
          "",
          "",
          "");
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rounds", rounds);
    json.put("peak_rss", "the largest process of the run's tree (rusage of /usr/bin/time -f %M)");
    json.put("rows", rows);
    return json;
  }

  /** One of the CLI's commands and its target: on the ratio, or on its own wall time. */
  private record Command(String name, List<String> args, Double millisTarget, Double ratioTarget) {}

  /** One whole process: its wall time, and from rusage its CPU time and peak RSS (NaN unknown). */
  private record Run(
      int exit, double wallMillis, double cpuMillis, double peakRssMiB, String err) {}

  /**
   * Runs {@code command} to its end in {@code dir}, through {@code /usr/bin/time} when the machine
   * has it (for the rusage figures; it adds one fork to both sides alike).
   */
  private static Run run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path usage = Files.createTempFile("cli-bench", ".rusage");
    Path err = Files.createTempFile("cli-bench", ".err");
    List<String> full = new ArrayList<>();
    boolean timed = Files.isExecutable(TIME);
    if (timed) {
      full.addAll(List.of(TIME.toString(), "-f", "%U %S %M", "-o", usage.toString()));
    }
    full.addAll(command);
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(full)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " ran for over 5 minutes");
    }
    double wall = (System.nanoTime() - start) / 1e6;
    double cpu = Double.NaN;
    double rss = Double.NaN;
    if (timed) {
      String[] figures = lastLine(usage).trim().split("\\s+");
      if (figures.length == 3) {
        cpu = (Double.parseDouble(figures[0]) + Double.parseDouble(figures[1])) * 1000;
        rss = Double.parseDouble(figures[2]) / 1024;
      }
    }
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    Files.deleteIfExists(usage);
    Files.deleteIfExists(err);
    return new Run(process.exitValue(), wall, cpu, rss, errors);
  }

  private static String lastLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> pick) {
    return Figures.median(runs.stream().map(pick::applyAsDouble).toList());
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
  }

  private static Double round(double value) {
    return Double.isNaN(value) ? null : Figures.round(value);
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
