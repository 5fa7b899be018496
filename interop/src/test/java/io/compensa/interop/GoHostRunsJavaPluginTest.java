package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host built with HashiCorp go-plugin's client (interop/go-host) launches the Java localfs
 * plugin, unchanged, and calls Describe, Create and Read on it.
 */
@DisplayName("Go host (go-plugin client) ↔ Java plugin (localfs, Compensa SDK)")
class GoHostRunsJavaPluginTest {
  @TempDir Path root;

  @BeforeEach
  void requireBinaries() {
    Interop.requireGoHostAndLocalfs();
  }

  /** What go-host did: its exit code, its JSON lines by step, and its stderr. */
  record Run(int exitCode, Map<String, JsonObject> steps, String stderr) {
    JsonObject response(String step) {
      assertThat(steps)
          .as("go-host printed no %s line; stderr:%n%s", step, stderr)
          .containsKey(step);
      return steps.get(step).getAsJsonObject("response");
    }
  }

  private Run goHost(String... arguments) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Interop.GO_HOST.toString(),
                "-plugin",
                Interop.LOCALFS_PLUGIN.toString(),
                "-plugin-config",
                Interop.rootConfig(root)));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "go-host did not finish within 90 s; stdout:\n" + out.getNow("(still open)"));
    }
    String stdout;
    try {
      stdout = out.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("go-host exited but its stdout could not be read in 30 s", e);
    }
    Map<String, JsonObject> steps = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        JsonObject object = JsonParser.parseString(line).getAsJsonObject();
        steps.put(object.get("step").getAsString(), object);
      }
    }
    return new Run(
        process.exitValue(),
        steps,
        stderr.completeOnTimeout("(not closed in 30 s)", 30, TimeUnit.SECONDS).join());
  }

  private static String readAll(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"tcp", "unix"})
  void goPluginClientDescribesCreatesAndReadsThroughTheJavaPlugin(String network) throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-type",
                "localfs_file",
                "-name",
                "greeting",
                "-config",
                "{\"path\":\"a.txt\",\"content\":\"hi\",\"mode\":\"0644\"}"));
    if (network.equals("unix")) {
      arguments.add("-unix");
    }

    Run run = goHost(arguments.toArray(String[]::new));

    assertThat(run.exitCode()).as("go-host's exit code; stderr:%n%s", run.stderr()).isZero();
    assertThat(run.steps()).containsKeys("launch", "describe", "create", "read", "kill");
    assertThat(run.steps().get("launch").get("network").getAsString()).isEqualTo(network);
    JsonObject manifest = run.response("describe").getAsJsonObject("manifest");
    assertThat(manifest.get("name").getAsString()).isEqualTo("localfs");
    List<String> types = new ArrayList<>();
    for (JsonElement type : manifest.getAsJsonArray("resource_types")) {
      types.add(type.getAsJsonObject().get("name").getAsString());
    }
    assertThat(types).contains("localfs_file");
    assertThat(run.response("create").getAsJsonObject("output").get("provider_id").getAsString())
        .isEqualTo("a.txt");
    assertThat(root.resolve("a.txt")).hasContent("hi");
    JsonObject read = run.response("read");
    assertThat(read.get("exists").getAsBoolean()).isTrue();
    assertThat(read.getAsJsonObject("observed_config").get("content").getAsString())
        .isEqualTo("hi");
    assertThat(run.steps().get("kill").get("exited").getAsBoolean()).isTrue();
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"tcp", "unix"})
  void goPluginClientWithAutoMtlsPinsTheJavaPluginsCertificateAndIsPinnedByIt(String network)
      throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-mtls",
                "-type",
                "localfs_file",
                "-name",
                "secret",
                "-config",
                "{\"path\":\"s.txt\",\"content\":\"tls\",\"mode\":\"0644\"}"));
    if (network.equals("unix")) {
      arguments.add("-unix");
    }

    Run run = goHost(arguments.toArray(String[]::new));

    // go-plugin's client dials with its TLS config only after reading the plugin's certificate from
    // the handshake, and the plugin requires the client certificate from PLUGIN_CLIENT_CERT: a read
    // that succeeds proves both pins held
    assertThat(run.exitCode()).as("go-host's exit code; stderr:%n%s", run.stderr()).isZero();
    assertThat(run.steps().get("launch").get("auto_mtls").getAsBoolean()).isTrue();
    assertThat(run.steps().get("launch").get("network").getAsString()).isEqualTo(network);
    assertThat(run.response("read").get("exists").getAsBoolean()).isTrue();
    assertThat(root.resolve("s.txt")).hasContent("tls");
  }

  @Test
  void goHostExitsNonZeroAndNamesTheStepWhenTheJavaPluginRefusesACreate() throws Exception {
    Files.writeString(root.resolve("taken.txt"), "someone else's");

    Run run =
        goHost(
            "-type",
            "localfs_file",
            "-name",
            "taken",
            "-config",
            "{\"path\":\"taken.txt\",\"content\":\"mine\",\"mode\":\"0644\"}");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.steps()).containsKeys("launch", "describe").doesNotContainKey("read");
    assertThat(run.stderr()).contains("go-host: Create of localfs_file \"taken\" failed:");
    assertThat(root.resolve("taken.txt")).hasContent("someone else's");
  }
}
