package io.compensa.host.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The localapp sample's world for CLI tests: its configuration, desired resources for one version
 * of the web app behind the front, what the front answers, and the services its registry says are
 * running (each a process of its own, which a test must not leave behind).
 */
final class LocalApps {
  static final String PLUGIN = "io.compensa.samples.localapp.LocalAppPlugin";
  static final String HEALTH_CHECK = "io.compensa.samples.localapp.HealthCheck";
  private static final Gson GSON = new Gson();

  final Path dir;
  final Path root;
  final Path config;
  final int frontPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  LocalApps(Path dir) throws IOException {
    this.dir = dir;
    this.root = dir.resolve("localapp");
    Files.createDirectories(root);
    JsonObject pluginConfig = new JsonObject();
    pluginConfig.addProperty("root", root.toString());
    this.config =
        InProcessCli.writeConfig(
            dir,
            dir.resolve("state.json").toString(),
            null,
            "localapp",
            InProcessCli.plugin(java(PLUGIN), pluginConfig));
    try (ServerSocket free = new ServerSocket(0)) {
      this.frontPort = free.getLocalPort();
    }
  }

  /** {@code java -cp <test class path> MAIN}. */
  static List<String> java(String main) {
    return List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        main);
  }

  /** Writes desired resources: app {@code web} at {@code version}, and the front routing to it. */
  Path desired(String version, String health) throws IOException {
    return QuickstartDeployCommand.writeDesired(
        dir.resolve("desired-" + version + ".json"),
        version,
        health,
        frontPort,
        java(HEALTH_CHECK));
  }

  /** Writes desired resources with nothing in them: planning them deletes everything. */
  Path nothing() throws IOException {
    return write("desired-nothing.json", new JsonArray());
  }

  private Path write(String name, JsonArray resources) throws IOException {
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    Path file = dir.resolve(name);
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  String frontUrl() {
    return "http://127.0.0.1:" + frontPort + "/";
  }

  /** What the front answers: the body on 200, else "HTTP <status>: <body>" or the failure. */
  String front() {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(frontUrl())).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200
          ? answer.body().strip()
          : "HTTP " + answer.statusCode() + ": " + answer.body().strip();
    } catch (IOException e) {
      return "failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The services the registry records that still run, as "id (pid N)". */
  List<String> running() throws IOException {
    return QuickstartDeployCommand.stillRunning(root);
  }

  /** Kills whatever {@link #running()} finds, so a failed test leaves nothing behind either. */
  void killAll() throws IOException {
    QuickstartDeployCommand.kill(root);
  }
}
