package io.compensa.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One launch of a plugin under the Go host ({@code interop/go-host/bin/go-host -bench}). */
final class GoHostRun {
  private final Path goHost;

  GoHostRun(Path goHost) {
    this.goHost = goHost;
  }

  ProcessFigures run(
      Subject subject,
      boolean unix,
      Path scratch,
      int calls,
      int concurrency,
      Duration concurrentTime)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                goHost.toString(),
                "-plugin",
                subject.executable().toString(),
                "-plugin-config",
                subject.configJson(scratch),
                "-type",
                subject.type(),
                "-log-level",
                "error",
                "-bench",
                Integer.toString(calls),
                "-concurrency",
                Integer.toString(concurrency),
                "-bench-time",
                concurrentTime.toMillis() + "ms"));
    if (unix) {
      command.add("-unix");
    }
    Process process =
        new ProcessBuilder(command)
            .directory(scratch.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("go-host -bench failed for " + subject.name() + ": " + output);
    }
    String line =
        output
            .lines()
            .filter(l -> l.contains("\"step\":\"bench\""))
            .findFirst()
            .orElseThrow(() -> new IOException("go-host printed no bench line: " + output));
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    // a go-host built before it reported ready_ms leaves that figure empty
    double readyMillis = json.has("ready_ms") ? json.get("ready_ms").getAsDouble() : Double.NaN;
    return new ProcessFigures(
        readyMillis,
        // go-host does not report the plugin's CPU time
        Double.NaN,
        json.get("launch_ms").getAsDouble(),
        json.get("round_trip_us_p50").getAsDouble(),
        json.get("round_trip_us_p99").getAsDouble(),
        json.get("calls_per_s").getAsDouble(),
        json.get("plugin_rss_kib").getAsDouble() / 1024,
        // go-host reports the whole RSS only
        Double.NaN,
        Double.NaN);
  }
}
