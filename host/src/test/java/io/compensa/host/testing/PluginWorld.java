package io.compensa.host.testing;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real plugin processes for apply tests: the scenario plugin (world = files under {@code
 * <dir>/scenario/world}) and, optionally, the credentials sample (world = {@code
 * <dir>/cloud.json}), launched from a {@code compensa.json} read with {@link HostConfigReader}.
 * Launch once per test class and give each test its own resource-name prefix and its own state
 * file. Not thread-safe.
 */
public final class PluginWorld implements AutoCloseable {
  private static final Gson GSON = new Gson();

  private final Path dir;
  private final HostConfig config;
  private final LaunchedPlugins plugins;
  private int states;

  private PluginWorld(Path dir, HostConfig config, LaunchedPlugins plugins) {
    this.dir = dir;
    this.config = config;
    this.plugins = plugins;
  }

  /** Writes {@code <dir>/compensa.json} with the chosen plugins, reads it and launches them. */
  public static PluginWorld launch(Path dir, boolean scenario, boolean credentials)
      throws Exception {
    Path configFile = writeConfig(dir, scenario, credentials);
    HostConfig config = HostConfigReader.read(configFile);
    return new PluginWorld(dir, config, LaunchedPlugins.launch(config));
  }

  /**
   * Writes {@code <dir>/compensa.json}: relative paths (the scenario root, the cloud file, the
   * state) resolved against {@code dir}, plugins run from the test class path.
   */
  public static Path writeConfig(Path dir, boolean scenario, boolean credentials)
      throws IOException {
    Files.createDirectories(dir.resolve("scenario"));
    JsonObject plugins = new JsonObject();
    if (scenario) {
      plugins.add(
          "scenario",
          plugin(
              "io.compensa.host.testing.ScenarioPlugin",
              "{\"root\": \"" + dir.resolve("scenario").toAbsolutePath() + "\"}"));
    }
    if (credentials) {
      plugins.add(
          "credentials",
          plugin(
              "io.compensa.samples.credentials.CredentialsPlugin",
              "{\"cloud\": \"" + dir.resolve("cloud.json").toAbsolutePath() + "\"}"));
    }
    JsonObject top = new JsonObject();
    top.addProperty("state", "state/compensa-state.json");
    top.addProperty("secrets", "state/compensa-secrets.json");
    top.add("plugins", plugins);
    Path file = dir.resolve("compensa.json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private static JsonObject plugin(String mainClass, String configJson) {
    JsonObject plugin = new JsonObject();
    List<String> command = new ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, mainClass);
    plugin.add("command", GSON.toJsonTree(command));
    plugin.add("config", JsonParser.parseString(configJson));
    plugin.addProperty("call_timeout_seconds", 30);
    return plugin;
  }

  public HostConfig config() {
    return config;
  }

  public LaunchedPlugins plugins() {
    return plugins;
  }

  public Path dir() {
    return dir;
  }

  /** The scenario plugin's root. */
  public Path scenarioRoot() {
    return dir.resolve("scenario");
  }

  /** A fresh state file (and secrets file beside it) for one test. */
  public Path newStateFile(String label) {
    return dir.resolve("states").resolve((++states) + "-" + label).resolve("state.json");
  }

  public static FileStateStore store(Path stateFile) {
    return new FileStateStore(stateFile);
  }

  public static Path secretsFile(Path stateFile) {
    return stateFile.resolveSibling("secrets.json");
  }

  /** The state file's snapshot (the default instance when it does not exist). */
  public static StateSnapshot state(Path stateFile) throws Exception {
    return store(stateFile).read();
  }

  /** The state's entries, by name. */
  public static Map<String, ResourceState> entries(Path stateFile) throws Exception {
    Map<String, ResourceState> all = new TreeMap<>();
    for (ResourceState resource : state(stateFile).getResourcesList()) {
      all.put(resource.getName(), resource);
    }
    return all;
  }

  /** Applies {@code plan} through the launched plugins against {@code stateFile}. */
  public ApplyResult apply(Path stateFile, Plan plan, ApplyOptions options) throws Exception {
    return engine(stateFile, options).apply(plan, "test");
  }

  public ApplyEngine engine(Path stateFile, ApplyOptions options) {
    return new ApplyEngine(
        plugins.router(),
        store(stateFile),
        new FileSecretStore(secretsFile(stateFile)),
        options,
        new ApplyListener() {});
  }

  /** Options whose embedder hook fails for the named resources. */
  public static ApplyOptions.Builder options(
      FailurePolicy policy, int parallelism, Collection<String> failingHooks) {
    Set<String> failing = Set.copyOf(failingHooks);
    return ApplyOptions.builder()
        .failurePolicy(policy)
        .parallelism(parallelism)
        .maxAttempts(2)
        .initialBackoff(Duration.ofMillis(10))
        .hook(
            context -> {
              String name = context.action().getResource().getName();
              if (failing.contains(name)) {
                throw new IllegalStateException("smoke test failed for " + name);
              }
            });
  }

  /** Writes the scenario plugin's {@code inject.json}: {@code {"fail": [...]}}. */
  public void inject(String... failures) {
    inject(Map.of("fail", List.of(failures)));
  }

  /** Writes the scenario plugin's {@code inject.json}. */
  public void inject(Map<String, List<String>> injection) {
    try {
      Files.writeString(scenarioRoot().resolve("inject.json"), GSON.toJson(injection));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scenario world: provider id → the config JSON in its file. */
  public Map<String, JsonObject> world() {
    Map<String, JsonObject> world = new TreeMap<>();
    Path worldDir = scenarioRoot().resolve("world");
    if (!Files.isDirectory(worldDir)) {
      return world;
    }
    try (Stream<Path> files = Files.list(worldDir)) {
      for (Path file : files.toList()) {
        world.put(
            file.getFileName().toString(),
            JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                .getAsJsonObject());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return world;
  }

  /** The part of the scenario world whose provider ids start with {@code prefix}. */
  public Map<String, JsonObject> world(String prefix) {
    Map<String, JsonObject> part = new TreeMap<>();
    world()
        .forEach(
            (id, content) -> {
              if (id.startsWith(prefix)) {
                part.put(id, content);
              }
            });
    return part;
  }

  /** The world files of resource {@code name} (provider ids are {@code <name>-<8 hex>}). */
  public Map<String, JsonObject> worldOf(String name) {
    Map<String, JsonObject> part = new TreeMap<>();
    world()
        .forEach(
            (id, content) -> {
              if (id.matches(java.util.regex.Pattern.quote(name) + "-[0-9a-f]{8}")) {
                part.put(id, content);
              }
            });
    return part;
  }

  /** What the scenario finalizer recorded for {@code planId}, or null when it was not called. */
  public JsonElement finalized(String planId) throws IOException {
    Path file = scenarioRoot().resolve("finalized").resolve(planId + ".json");
    return Files.exists(file) ? JsonParser.parseString(Files.readString(file)) : null;
  }

  /** The credentials sample's cloud file. */
  public Path cloudFile() {
    return dir.resolve("cloud.json");
  }

  /**
   * The credentials cloud's content ({@code keys}, {@code rules}, {@code faults}); empty when
   * absent.
   */
  public JsonObject cloud() throws IOException {
    if (!Files.exists(cloudFile())) {
      JsonObject empty = new JsonObject();
      empty.add("keys", new JsonObject());
      empty.add("rules", new JsonObject());
      return empty;
    }
    return JsonParser.parseString(Files.readString(cloudFile())).getAsJsonObject();
  }

  /** Sets the cloud's {@code flush_fail_after} fault (negative: no fault). */
  public void flushFailAfter(int after) throws IOException {
    JsonObject cloud = cloud();
    JsonObject faults = new JsonObject();
    faults.addProperty("flush_fail_after", after);
    cloud.add("faults", faults);
    Files.writeString(cloudFile(), GSON.toJson(cloud));
  }

  @Override
  public void close() {
    plugins.close();
  }

  // ---- plans ----

  /** {@code {"value": value}} as a Struct. */
  public static Struct config(String value) {
    return Struct.newBuilder()
        .putFields("value", Value.newBuilder().setStringValue(value).build())
        .build();
  }

  /** The JSON the scenario plugin writes for {@code config(value)}. */
  public static JsonObject worldJson(String value) {
    JsonObject json = new JsonObject();
    json.addProperty("value", value);
    return json;
  }

  public static Plan plan(String id, PlanAction... actions) {
    return Plan.newBuilder().setId(id).addAllActions(Arrays.asList(actions)).build();
  }

  public static PlanAction create(String name, String type, String value, String... dependsOn) {
    return create(name, type, config(value), dependsOn);
  }

  public static PlanAction create(String name, String type, Struct config, String... dependsOn) {
    return PlanAction.newBuilder()
        .setId("create-" + name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(name)
                .setType(type)
                .setConfig(config)
                .addAllDependsOn(List.of(dependsOn)))
        .build();
  }

  public static PlanAction update(ResourceState current, String value) {
    return change("update-", ActionKind.ACTION_KIND_UPDATE, current, config(value));
  }

  public static PlanAction replace(ResourceState current, String value) {
    return change("replace-", ActionKind.ACTION_KIND_REPLACE, current, config(value));
  }

  public static PlanAction delete(ResourceState current) {
    return change("delete-", ActionKind.ACTION_KIND_DELETE, current, current.getConfig());
  }

  public static PlanAction change(
      String idPrefix, ActionKind kind, ResourceState current, Struct config) {
    return PlanAction.newBuilder()
        .setId(idPrefix + current.getName())
        .setKind(kind)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(current.getName())
                .setType(current.getType())
                .setConfig(config)
                .addAllDependsOn(current.getDependsOnList()))
        .setCurrent(current)
        .build();
  }

  /** {@code action} with an operator's command hook. */
  public static PlanAction withCommandHook(PlanAction action, String... command) {
    return action.toBuilder()
        .addCommandHooks(
            CommandHook.newBuilder().addAllCommand(List.of(command)).setTimeoutSeconds(20))
        .build();
  }
}
