package io.compensa.host.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code compensa quickstart deploy}: replace-with-rollback on real running services. With the
 * localapp sample it deploys v1 of a tiny web app behind a front, then v2 (healthy), then v3 (its
 * health check fails), while a client requests the front all along; it prints each apply, what the
 * front answers after it, and the client's count of requests and failures, then deletes the app and
 * the front and checks that nothing it started is still running.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description =
        "Deploy three versions of a local web app behind a front while a client requests it: v2"
            + " takes over with no failed request; v3, whose health check fails, is compensated and"
            + " never takes traffic.")
final class QuickstartDeployCommand implements Callable<Integer> {
  /** Made at first use, as {@link Http}: picocli instantiates every command at each start. */
  private static final class Json {
    static final Gson GSON = new Gson();
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "compensa-quickstart-deploy",
      description = "The scratch folder (made afresh each run); default ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--localapp",
      paramLabel = "PATH",
      description =
          "The localapp plugin's launcher; default: sample-plugins/localapp/bin/compensa-localapp"
              + " in this checkout.")
  Path localapp;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path home = QuickstartCommand.home();
    Path plugin =
        (localapp != null
                ? localapp
                : home.resolve("sample-plugins/localapp/bin/compensa-localapp"))
            .toAbsolutePath()
            .normalize();
    Path jar = home.resolve("sample-plugins/localapp/target/compensa-localapp.jar");
    if (!Files.isExecutable(plugin) || !Files.isRegularFile(jar)) {
      err.println(
          "quickstart deploy: the localapp plugin "
              + (Files.isExecutable(plugin) ? jar : plugin)
              + " is missing: build it with `mvn -q install -DskipTests`, or pass --localapp PATH");
      return FailureReporter.FAILURE;
    }
    Path work = QuickstartCommand.prepare(dir.toAbsolutePath().normalize());
    Path world = work.resolve("world");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    JsonObject pluginConfig = new JsonObject();
    pluginConfig.addProperty("root", world.toString());
    JsonObject localappEntry = new JsonObject();
    localappEntry.add("command", Json.GSON.toJsonTree(List.of(plugin.toString())));
    localappEntry.add("config", pluginConfig);
    JsonObject plugins = new JsonObject();
    plugins.add("localapp", localappEntry);
    JsonObject top = new JsonObject();
    top.addProperty("state", "compensa-state.json");
    top.addProperty("secrets", "compensa-secrets.json");
    top.add("plugins", plugins);
    Files.writeString(work.resolve("compensa.json"), Json.GSON.toJson(top) + "\n");
    List<String> healthCheck =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            jar.toString(),
            "io.compensa.samples.localapp.HealthCheck");
    Path v1 = desired(work, "v1", "ok", port, healthCheck);
    Path v2 = desired(work, "v2", "ok", port, healthCheck);
    Path v3 = desired(work, "v3", "fail", port, healthCheck);
    Path nothing = work.resolve("resources-none.json");
    Files.writeString(nothing, "{\"resources\": []}\n");
    HostConfig host = HostConfigReader.read(work.resolve("compensa.json"));
    ApplyOptions options =
        ApplyOptions.builder()
            .hookDirectory(work)
            .journal(new io.compensa.host.journal.FileJournal(host.stateFile()))
            .build();
    String front = "http://127.0.0.1:" + port + "/";
    List<String> wrong = new ArrayList<>();

    out.println("== 1. deploy web v1 behind the front, " + front);
    ApplyResult first =
        QuickstartCommand.planAndApply(host, v1, work.resolve("plan-v1.json"), options, out, err);
    expect(out, front, "web v1", wrong);
    Client client = new Client(front);
    ApplyResult second;
    ApplyResult third;
    try {
      out.println();
      out.println("== 2. deploy v2 while a client requests the front without pause: the host");
      out.println(
          "==    starts v2 beside v1, runs its health check, moves the route, then stops v1");
      second =
          QuickstartCommand.planAndApply(host, v2, work.resolve("plan-v2.json"), options, out, err);
      expect(out, front, "web v2", wrong);
      out.println();
      out.println("== 3. deploy v3, whose health check fails: the host deletes v3 (COMPENSATED),");
      out.println("==    the route never moves (SKIPPED), and v2 keeps answering");
      third =
          QuickstartCommand.planAndApply(host, v3, work.resolve("plan-v3.json"), options, out, err);
      expect(out, front, "web v2", wrong);
    } finally {
      client.stop();
    }
    out.println();
    out.println(
        "client: "
            + client.requests.get()
            + " requests during the deploys, "
            + client.failures.get()
            + " failed; answers: "
            + new TreeMap<>(client.answers));
    out.println();
    out.println("== 4. clean up: plan nothing, which deletes the front and the app");
    ApplyResult removed =
        QuickstartCommand.planAndApply(
            host, nothing, work.resolve("plan-none.json"), options, out, err);
    List<String> left = stillRunning(world);
    if (left.isEmpty()) {
      out.println("nothing left running.");
    } else {
      out.println("still running after the clean-up, now killed: " + left);
      kill(world);
    }
    out.println();
    out.println("Look around: " + work + " holds the configuration, the plans, the state, and the");
    out.println("services' logs under world/logs.");
    out.flush();
    boolean asExpected =
        first.allSucceeded()
            && second.allSucceeded()
            && status(third, "web") == ActionStatus.ACTION_STATUS_COMPENSATED
            && status(third, "front") == ActionStatus.ACTION_STATUS_SKIPPED
            && client.failures.get() == 0
            && client.requests.get() > 0
            && wrong.isEmpty()
            && removed.allSucceeded()
            && left.isEmpty();
    if (!asExpected) {
      err.println(
          "quickstart deploy: the run did not go as described"
              + (wrong.isEmpty() ? "" : ": " + wrong)
              + (client.failures.get() == 0
                  ? ""
                  : "; the client saw " + client.failures + " failures")
              + (left.isEmpty() ? "" : "; left running: " + left));
    }
    return asExpected ? 0 : FailureReporter.FAILURE;
  }

  private static ActionStatus status(ApplyResult result, String name) {
    return result.outcomes().stream()
        .filter(o -> o.getResourceName().equals(name))
        .map(ActionOutcome::getStatus)
        .findFirst()
        .orElse(ActionStatus.ACTION_STATUS_UNSPECIFIED);
  }

  private static void expect(PrintWriter out, String front, String expected, List<String> wrong) {
    String answer = get(front);
    out.println("the front answers: " + answer);
    if (!answer.equals(expected)) {
      wrong.add("expected the front to answer \"" + expected + "\", got \"" + answer + "\"");
    }
  }

  /** The desired resources: app web at {@code version}, with its health check, and the front. */
  private static Path desired(
      Path work, String version, String health, int port, List<String> healthCheck)
      throws IOException {
    return writeDesired(
        work.resolve("resources-" + version + ".json"), version, health, port, healthCheck);
  }

  /**
   * Writes {@code file}: app {@code web} at {@code version} with its health check hook, and the
   * front on {@code port} routing to it.
   */
  static Path writeDesired(
      Path file, String version, String health, int port, List<String> healthCheck)
      throws IOException {
    JsonObject appConfig = new JsonObject();
    appConfig.addProperty("app", "web");
    appConfig.addProperty("version", version);
    appConfig.addProperty("health", health);
    JsonObject hook = new JsonObject();
    hook.add("command", Json.GSON.toJsonTree(healthCheck));
    hook.addProperty("timeout_seconds", 30);
    JsonArray hooks = new JsonArray();
    hooks.add(hook);
    JsonObject app = new JsonObject();
    app.addProperty("name", "web");
    app.addProperty("type", "localapp_app");
    app.add("config", appConfig);
    app.add("hooks", hooks);
    JsonObject routeConfig = new JsonObject();
    routeConfig.addProperty("front", "main");
    routeConfig.addProperty("app", "web");
    routeConfig.addProperty("version", version);
    routeConfig.addProperty("port", port);
    JsonObject route = new JsonObject();
    route.addProperty("name", "front");
    route.addProperty("type", "localapp_route");
    route.add("depends_on", Json.GSON.toJsonTree(List.of("web")));
    route.add("config", routeConfig);
    JsonArray resources = new JsonArray();
    resources.add(app);
    resources.add(route);
    JsonObject top = new JsonObject();
    top.add("resources", resources);
    Files.writeString(
        file, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(top) + "\n");
    return file;
  }

  /**
   * The client's HTTP client, made at its first use: picocli instantiates every command at each
   * start, and an HttpClient costs a TLS context (~200 classes, tens of ms) that only this command
   * needs.
   */
  private static final class Http {
    static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** What the front answers: its body on 200, else the status or the failure. */
  private static String get(String url) {
    try {
      HttpResponse<String> answer =
          Http.CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200
          ? answer.body().strip()
          : "HTTP " + answer.statusCode() + ": " + answer.body().strip();
    } catch (IOException e) {
      return "failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** A client requesting the front without pause, counting what it gets. */
  private static final class Client {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Client(String url) {
      thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  String answer = get(url);
                  requests.incrementAndGet();
                  answers.merge(answer, 1, Integer::sum);
                  if (!answer.startsWith("web ")) {
                    failures.incrementAndGet();
                  }
                }
              },
              "quickstart-client");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }
  }

  /** The services the plugin's registry records whose process still runs, as "id (pid N)". */
  static List<String> stillRunning(Path world) throws IOException {
    List<String> running = new ArrayList<>();
    for (JsonObject record : records(world)) {
      long pid = record.get("pid").getAsLong();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        running.add(record.get("id").getAsString() + " (pid " + pid + ")");
      }
    }
    return running;
  }

  /** Kills every service the plugin's registry under {@code world} records. */
  static void kill(Path world) throws IOException {
    for (JsonObject record : records(world)) {
      ProcessHandle.of(record.get("pid").getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static List<JsonObject> records(Path world) throws IOException {
    List<JsonObject> records = new ArrayList<>();
    for (String folder : List.of("apps", "fronts")) {
      Path dir = world.resolve(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          records.add(
              JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                  .getAsJsonObject());
        }
      }
    }
    return records;
  }
}
