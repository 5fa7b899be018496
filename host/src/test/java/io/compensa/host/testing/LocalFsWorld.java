package io.compensa.host.testing;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.apply.ApplyResult;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Plans of {@code localfs_file} actions under one folder of a localfs root, and the comparison of a
 * state with the files on disk (state == world). Stateless.
 */
public final class LocalFsWorld {
  private static final Gson GSON = new Gson();

  private LocalFsWorld() {}

  /** Writes a {@code compensa.json} whose only plugin is localfs serving {@code root}. */
  public static Path writeConfig(Path configFile, Path root, String stateFile) throws IOException {
    JsonObject plugin = new JsonObject();
    plugin.add("command", GSON.toJsonTree(LocalFs.command()));
    plugin.add(
        "config",
        JsonParser.parseString(
            "{\"root\": " + GSON.toJson(root.toAbsolutePath().toString()) + "}"));
    plugin.addProperty("call_timeout_seconds", 30);
    JsonObject plugins = new JsonObject();
    plugins.add("localfs", plugin);
    JsonObject top = new JsonObject();
    top.addProperty("state", stateFile);
    top.addProperty("secrets", stateFile.replace(".json", "") + "-secrets.json");
    top.add("plugins", plugins);
    Files.createDirectories(configFile.toAbsolutePath().getParent());
    Files.writeString(configFile, GSON.toJson(top));
    return configFile;
  }

  public static Struct fileConfig(String path, String content) {
    return Struct.newBuilder()
        .putFields("path", Value.newBuilder().setStringValue(path).build())
        .putFields("content", Value.newBuilder().setStringValue(content).build())
        .build();
  }

  public static PlanAction create(String actionId, String name, String path, String content) {
    return PlanAction.newBuilder()
        .setId(actionId)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(name)
                .setType("localfs_file")
                .setConfig(fileConfig(path, content)))
        .build();
  }

  public static PlanAction update(String actionId, ResourceState current, String content) {
    String path = current.getConfig().getFieldsOrThrow("path").getStringValue();
    return PlanAction.newBuilder()
        .setId(actionId)
        .setKind(ActionKind.ACTION_KIND_UPDATE)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(current.getName())
                .setType(current.getType())
                .setConfig(fileConfig(path, content)))
        .setCurrent(current)
        .build();
  }

  public static PlanAction delete(String actionId, ResourceState current) {
    return PlanAction.newBuilder()
        .setId(actionId)
        .setKind(ActionKind.ACTION_KIND_DELETE)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(current.getName())
                .setType(current.getType())
                .setConfig(current.getConfig()))
        .setCurrent(current)
        .build();
  }

  /**
   * Invariant 1 for {@code result} against {@code plan}: one outcome per action, in plan order,
   * none UNSPECIFIED. Returns the problems found (empty when it holds).
   */
  public static List<String> invariantOne(Plan plan, ApplyResult result) {
    List<String> problems = new ArrayList<>();
    if (result.outcomes().size() != plan.getActionsCount()) {
      problems.add(
          result.outcomes().size() + " outcomes for " + plan.getActionsCount() + " actions");
      return problems;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < plan.getActionsCount(); i++) {
      ActionOutcome outcome = result.outcomes().get(i);
      if (!outcome.getActionId().equals(plan.getActions(i).getId())) {
        problems.add(
            "outcome "
                + i
                + " is for "
                + outcome.getActionId()
                + ", not "
                + plan.getActions(i).getId());
      }
      if (!seen.add(outcome.getActionId())) {
        problems.add("two outcomes for " + outcome.getActionId());
      }
      if (outcome.getStatus() == ActionStatus.ACTION_STATUS_UNSPECIFIED
          || outcome.getStatus() == ActionStatus.UNRECOGNIZED) {
        problems.add(outcome.getActionId() + " ended " + outcome.getStatus());
      }
    }
    return problems;
  }

  /** What state == world found wrong under {@code folder} (a folder of {@code root}). */
  public record Comparison(
      List<String> unknownFiles,
      List<String> missingFiles,
      List<String> wrongContent,
      List<String> localfsTemporaries) {
    public boolean leaks() {
      return !unknownFiles.isEmpty() || !missingFiles.isEmpty() || !wrongContent.isEmpty();
    }

    @Override
    public String toString() {
      return "unknown files "
          + unknownFiles
          + ", state entries whose file is missing "
          + missingFiles
          + ", content differing from the state "
          + wrongContent
          + ", localfs temporaries "
          + localfsTemporaries;
    }
  }

  /**
   * Compares the {@code localfs_file} entries of {@code state} whose path lies in {@code folder}
   * with the files in {@code root/folder} (localfs's own {@code .localfs/} folder ignored; its
   * {@code .localfs-*.tmp} temporaries listed apart).
   */
  public static Comparison compare(StateSnapshot state, Path root, String folder)
      throws IOException {
    Map<String, ResourceState> byPath = new TreeMap<>();
    for (ResourceState entry : state.getResourcesList()) {
      if (!entry.getType().equals("localfs_file")) {
        continue;
      }
      String path =
          entry.getOutput().getProviderId().isEmpty()
              ? entry.getConfig().getFieldsOrThrow("path").getStringValue()
              : entry.getOutput().getProviderId();
      if (path.startsWith(folder + "/")) {
        byPath.put(path, entry);
      }
    }
    List<String> unknown = new ArrayList<>();
    List<String> temporaries = new ArrayList<>();
    Path dir = root.resolve(folder);
    Set<String> onDisk = new HashSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String relative = root.relativize(file).toString();
          if (relative.startsWith(".localfs/")) {
            continue;
          }
          if (file.getFileName().toString().startsWith(".localfs-") && relative.endsWith(".tmp")) {
            temporaries.add(relative);
            continue;
          }
          onDisk.add(relative);
          if (!byPath.containsKey(relative)) {
            unknown.add(relative);
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, ResourceState> entry : byPath.entrySet()) {
      if (!onDisk.contains(entry.getKey())) {
        missing.add(entry.getKey());
        continue;
      }
      String want =
          entry
              .getValue()
              .getConfig()
              .getFieldsOrDefault("content", Value.newBuilder().setStringValue("").build())
              .getStringValue();
      String have = Files.readString(root.resolve(entry.getKey()), StandardCharsets.UTF_8);
      if (!want.equals(have)) {
        wrong.add(entry.getKey() + " (state \"" + want + "\", disk \"" + have + "\")");
      }
    }
    return new Comparison(unknown, missing, wrong, temporaries);
  }

  /** Regular files in {@code root/folder}, localfs's records and temporaries not counted. */
  public static int filesIn(Path root, String folder) {
    Path dir = root.resolve(folder);
    try (Stream<Path> files = Files.list(dir)) {
      return (int) files.filter(f -> !f.getFileName().toString().startsWith(".localfs")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }
}
