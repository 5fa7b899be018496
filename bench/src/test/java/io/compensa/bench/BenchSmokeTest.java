package io.compensa.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the benchmark suite and of the engine figures, so they do not rot: they complete
 * and produce every figure. Nothing is timed or compared: benchmarks are not tests.
 *
 * <p>As in the interop module, a test that needs a binary that is not built is skipped, saying how
 * to build it, except under {@code CI=true}, where it fails.
 */
class BenchSmokeTest {
  private static final Path REPOSITORY =
      Path.of(System.getProperty("compensa.repository", "..")).toAbsolutePath().normalize();
  private static final String[] TINY = {
    "--rounds",
    "1",
    "--calls",
    "20",
    "--concurrent-ms",
    "100",
    "--warmup-ms",
    "0",
    "--no-engine",
    "--no-cli"
  };

  @TempDir Path scratch;

  @Test
  void theSuiteMeasuresAJavaPluginUnderTheCompensaHost() throws Exception {
    require(
        "sample-plugins/localfs/target/compensa-localfs.jar",
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path out = scratch.resolve("suite.json");

    Map<String, Object> written = SuiteBench.run(arguments(out, "java localfs", "--no-go-host"));

    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertThat(json.get("machine").getAsString()).isEqualTo(written.get("machine"));
    assertThat(json.get("compensa_host_first_use_ready_ms").getAsDouble()).isPositive();
    List<JsonObject> rows = rows(json, "processes");
    // unix and tcp, each with every figure
    assertThat(rows).hasSize(2 * SuiteBench.Figure.values().length);
    for (JsonObject row : rows) {
      assertThat(row.get("compensa_host").isJsonNull()).as("%s", row).isFalse();
      assertThat(row.get("go_host").isJsonNull()).as("no Go host was asked for: %s", row).isTrue();
    }
  }

  @Test
  void theOptionsComparisonMeasuresEachVariantOfAJavaPlugin() throws Exception {
    require(
        "sample-plugins/localfs/target/compensa-localfs.jar",
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path out = scratch.resolve("options.json");

    OptionsBench.run(
        new String[] {
          "--rounds",
          "1",
          "--calls",
          "20",
          "--concurrent-ms",
          "100",
          "--warmup-ms",
          "0",
          "--repo",
          REPOSITORY.toString(),
          "--out",
          out.toString(),
          "",
          "-XX:+UseSerialGC"
        });

    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    List<JsonObject> variants = rows(json, "variants");
    List<String> names = variants.stream().map(v -> v.get("variant").getAsString()).toList();
    assertThat(names).contains("", "-XX:+UseSerialGC");
    for (JsonObject variant : variants) {
      assertThat(variant.get("calls_per_s").getAsDouble()).as("%s", variant).isPositive();
      assertThat(variant.get("p50_us").getAsDouble()).as("%s", variant).isPositive();
    }
  }

  @Test
  void theSuiteComparesBothHostsAndTheJavaPluginWithTheGoPlugin() throws Exception {
    require(
        "sample-plugins/localfs/target/compensa-localfs.jar",
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    require(
        "sample-plugins/go-kv/bin/compensa-go-kv",
        "the Go sample plugin (go-kv)",
        "interop/build.sh go (needs Go 1.26)");
    require(
        "interop/go-host/bin/go-host",
        "the Go host (go-host)",
        "interop/go-host/build.sh (needs Go 1.26)");
    Path out = scratch.resolve("suite.json");

    SuiteBench.run(arguments(out, "java localfs,go go-kv"));

    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    List<JsonObject> processes = rows(json, "processes");
    // localfs on unix and tcp, go-kv on unix
    assertThat(processes).hasSize(3 * SuiteBench.Figure.values().length);
    // the Go host reports what go-plugin lets it see: not the plugin's CPU or its RSS's parts
    assertEveryFigure(
        processes.stream().filter(BenchSmokeTest::goHostReports).toList(),
        "compensa_host",
        "go_host");
    assertThat(processes)
        .filteredOn(row -> !goHostReports(row))
        .hasSize(3 * 3)
        .allSatisfy(
            row -> {
              assertThat(row.get("compensa_host").getAsDouble()).as("%s", row).isPositive();
              assertThat(row.get("go_host").isJsonNull()).as("%s", row).isTrue();
            });
    List<JsonObject> javaVsGo = rows(json, "java_plugins_vs_go_plugin");
    assertThat(javaVsGo).hasSize(SuiteBench.Figure.values().length);
    assertEveryFigure(javaVsGo, "java_plugin", "go_plugin");
    assertThat(javaVsGo)
        .filteredOn(row -> row.has("target"))
        .allSatisfy(row -> assertThat(row.get("met").isJsonPrimitive()).as("%s", row).isTrue());
  }

  @Test
  void theCliFiguresPairEachCommandWithAGoHostRun() throws Exception {
    require("cli/target/compensa.jar", "the CLI's jar", "mvn -pl cli -am package");
    require(
        "sample-plugins/localfs/target/compensa-localfs.jar",
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    require(
        "interop/go-host/bin/go-host",
        "the Go host (go-host)",
        "interop/go-host/build.sh (needs Go 1.26)");

    Map<String, Object> figures = CliBench.measure(REPOSITORY, true, 1);

    JsonObject json =
        JsonParser.parseString(new com.google.gson.Gson().toJson(figures)).getAsJsonObject();
    List<JsonObject> rows = rows(json, "rows");
    assertThat(rows)
        .extracting(row -> row.get("command").getAsString())
        .containsExactly(
            "describe localfs", "plan (quickstart)", "apply (quickstart, 3 creates)", "state list");
    for (JsonObject row : rows) {
      for (String figure : List.of("compensa_ms", "go_host_ms", "ratio")) {
        assertThat(row.get(figure).getAsDouble()).as("%s of %s", figure, row).isPositive();
      }
      assertThat(row.getAsJsonArray("pair_ratios")).as("%s", row).hasSize(1);
    }
    assertThat(rows)
        .filteredOn(row -> row.has("target"))
        .hasSize(3)
        .allSatisfy(row -> assertThat(row.get("met").isJsonPrimitive()).as("%s", row).isTrue());
  }

  @Test
  void theEngineFiguresAreAllThere() throws Exception {
    // EngineBench warms up on two 1,000-action applies whatever the sizes; 100 keeps the rest short
    Map<String, Object> figures =
        SuiteBench.engine(List.of("--sizes", "100", "--repeats", "1", "--large", "300"));

    assertThat(figures.keySet())
        .anyMatch(key -> key.startsWith("apply_100_"))
        .contains(
            "apply_300_journal_on_in_256_mib_heap_actions_per_s",
            "apply_300_journal_on_in_256_mib_heap_heap_peak_live_mib",
            "apply_300_journal_on_in_256_mib_heap_state_file_mib")
        .anyMatch(key -> key.startsWith("rollback_100_"))
        .anyMatch(key -> key.startsWith("heap_"));
    assertThat(figures.values())
        .allSatisfy(value -> assertThat((Double) value).isFinite().isPositive());
  }

  private String[] arguments(Path out, String only, String... more) {
    List<String> arguments = new ArrayList<>(List.of(TINY));
    arguments.addAll(
        List.of("--repo", REPOSITORY.toString(), "--out", out.toString(), "--only", only));
    arguments.addAll(List.of(more));
    return arguments.toArray(String[]::new);
  }

  private static List<JsonObject> rows(JsonObject json, String table) {
    List<JsonObject> rows = new ArrayList<>();
    for (JsonElement row : json.getAsJsonArray(table)) {
      rows.add(row.getAsJsonObject());
    }
    return rows;
  }

  private static boolean goHostReports(JsonObject row) {
    String figure = row.get("figure").getAsString();
    return !figure.equals(SuiteBench.Figure.READY_CPU.label)
        && !figure.equals(SuiteBench.Figure.RSS_ANON.label)
        && !figure.equals(SuiteBench.Figure.RSS_FILE.label);
  }

  private static void assertEveryFigure(List<JsonObject> rows, String first, String second) {
    for (JsonObject row : rows) {
      for (String side : List.of(first, second, "ratio", "ratio_of_medians")) {
        assertThat(row.get(side).isJsonNull()).as("%s of %s", side, row).isFalse();
        assertThat(row.get(side).getAsDouble()).as("%s of %s", side, row).isFinite().isPositive();
      }
      // one round (TINY): the rounds' one ratio is the ratio
      assertThat(row.getAsJsonArray("round_ratios")).as("round ratios of %s", row).hasSize(1);
      assertThat(row.getAsJsonArray("round_ratios").get(0).getAsDouble())
          .as("round ratio of %s", row)
          .isEqualTo(row.get("ratio").getAsDouble());
    }
  }

  /** Skips the calling test (fails it under CI=true) unless {@code relative} exists. */
  private static void require(String relative, String what, String howToBuild) {
    if (Files.exists(REPOSITORY.resolve(relative))) {
      return;
    }
    String message =
        what + " is missing: " + relative + " does not exist; build it with " + howToBuild;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true, so the benchmark smoke tests never skip: " + message);
    }
    Assumptions.abort(message);
  }
}
