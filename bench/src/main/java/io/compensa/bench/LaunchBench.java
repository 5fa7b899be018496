package io.compensa.bench;

import com.google.gson.GsonBuilder;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a plugin's launch → ready time (process start, handshake, health check, Describe and
 * manifest validation, as {@link PluginLauncher#launch} does them) and the round trip of a Describe
 * call on a ready plugin. Prints a table and writes the figures as JSON.
 *
 * <p>Usage: {@code LaunchBench [--launches N] [--calls N] [--out FILE] [PLUGIN ARGS...]}; the
 * plugin defaults to the localfs sample.
 */
public final class LaunchBench {
  private LaunchBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws IOException {
    // as the compensa CLI does: the host as operators run it
    PluginLauncher.preferVforkLaunch();
    // the plugin's own info lines would drown the figures
    System.setProperty("org.slf4j.simpleLogger.log.plugin", "warn");
    int launches = 10;
    int calls = 2000;
    Path out = Path.of("bench/results/launch.json");
    int i = 0;
    for (; i < args.length && args[i].startsWith("--"); i += 2) {
      switch (args[i]) {
        case "--launches":
          launches = Integer.parseInt(args[i + 1]);
          break;
        case "--calls":
          calls = Integer.parseInt(args[i + 1]);
          break;
        case "--out":
          out = Path.of(args[i + 1]);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> command = Arrays.asList(args).subList(i, args.length);
    if (command.isEmpty()) {
      command = List.of("sample-plugins/localfs/bin/compensa-localfs");
    }
    PluginLauncher launcher = new PluginLauncher();
    LaunchOptions options = LaunchOptions.builder(command).build();
    // the first launch pays the host JVM's own class loading; it is reported apart
    long firstStart = System.nanoTime();
    launcher.launch(options).close();
    double firstMillis = (System.nanoTime() - firstStart) / 1e6;
    double[] launchMillis = new double[launches];
    for (int n = 0; n < launches; n++) {
      long start = System.nanoTime();
      LaunchedPlugin plugin = launcher.launch(options);
      launchMillis[n] = (System.nanoTime() - start) / 1e6;
      plugin.close();
    }
    double[] describeMicros = new double[calls];
    try (LaunchedPlugin plugin = launcher.launch(options)) {
      for (int n = 0; n < Math.min(500, calls); n++) {
        plugin.client().describe(); // warm-up
      }
      for (int n = 0; n < calls; n++) {
        long start = System.nanoTime();
        plugin.client().describe();
        describeMicros[n] = (System.nanoTime() - start) / 1e3;
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("plugin", String.join(" ", command));
    figures.put("first_launch_ms_including_host_warmup", round(firstMillis));
    figures.put("launches", launches);
    figures.put("launch_to_ready_ms_p50", round(percentile(launchMillis, 50)));
    figures.put("launch_to_ready_ms_min", round(percentile(launchMillis, 0)));
    figures.put("launch_to_ready_ms_max", round(percentile(launchMillis, 100)));
    figures.put("describe_calls", calls);
    figures.put("describe_round_trip_us_p50", round(percentile(describeMicros, 50)));
    figures.put("describe_round_trip_us_p99", round(percentile(describeMicros, 99)));
    System.out.printf(Locale.ROOT, "%-44s %s%n", "plugin", figures.get("plugin"));
    for (Map.Entry<String, Object> figure : figures.entrySet()) {
      if (!figure.getKey().equals("plugin")) {
        System.out.printf(Locale.ROOT, "%-44s %s%n", figure.getKey(), figure.getValue());
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(figures) + "\n");
    System.out.println("written to " + out);
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
