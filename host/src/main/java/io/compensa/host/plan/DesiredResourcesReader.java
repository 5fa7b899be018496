package io.compensa.host.plan;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.ResourceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the operator's desired resources file.
 *
 * <pre>{@code
 * {"resources": [
 *   {"name": "site", "type": "localfs_directory", "config": {"path": "site"}},
 *   {"name": "index", "type": "localfs_file", "config": {"path": "site/index.html", "content": "hi"},
 *    "depends_on": ["site"],
 *    "hooks": [{"command": ["test", "-s", "world/site/index.html"], "timeout_seconds": 10}]}
 * ]}
 * }</pre>
 *
 * <p>Unknown keys are errors. Stateless and thread-safe.
 */
public final class DesiredResourcesReader {
  private static final Set<String> RESOURCE_KEYS =
      Set.of("name", "type", "config", "depends_on", "hooks");
  private static final Set<String> HOOK_KEYS = Set.of("command", "timeout_seconds");

  private DesiredResourcesReader() {}

  /** Reads {@code file}; the message of any error names the file and the resource. */
  public static List<DesiredResource> read(Path file) throws InvalidPlanException {
    String text;
    try {
      if (Files.size(file) > PlanFiles.MAX_PLAN_BYTES) {
        throw new InvalidPlanException(
            file + ": larger than " + PlanFiles.MAX_PLAN_BYTES + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidPlanException("desired resources file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidPlanException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonObject()
          || !root.getAsJsonObject().has("resources")
          || !root.getAsJsonObject().get("resources").isJsonArray()) {
        throw new InvalidPlanException(file + ": expected an object with a \"resources\" list");
      }
      List<DesiredResource> out = new ArrayList<>();
      JsonArray resources = root.getAsJsonObject().getAsJsonArray("resources");
      for (int i = 0; i < resources.size(); i++) {
        out.add(resource(resources.get(i), file + ": resources[" + i + "]"));
      }
      return out;
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | ArithmeticException e) {
      // NumberFormatException: Gson refuses a number like 1e999999999 ("unsupported scale") when
      // read as int
      throw new InvalidPlanException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static DesiredResource resource(JsonElement element, String where)
      throws InvalidPlanException {
    if (!element.isJsonObject()) {
      throw new InvalidPlanException(where + " must be an object");
    }
    JsonObject object = element.getAsJsonObject();
    for (String key : object.keySet()) {
      if (!RESOURCE_KEYS.contains(key)) {
        throw new InvalidPlanException(
            where + ": unknown key \"" + key + "\" (known: " + RESOURCE_KEYS + ")");
      }
    }
    String name = text(object, "name", where);
    where = where + " (\"" + name + "\")";
    ResourceSpec.Builder spec =
        ResourceSpec.newBuilder().setName(name).setType(text(object, "type", where));
    if (object.has("config")) {
      if (!object.get("config").isJsonObject()) {
        throw new InvalidPlanException(where + ": \"config\" must be an object");
      }
      Struct.Builder config = Struct.newBuilder();
      try {
        JsonFormat.parser().merge(object.get("config").toString(), config);
      } catch (InvalidProtocolBufferException e) {
        throw new InvalidPlanException(where + ": \"config\" cannot be read: " + e.getMessage(), e);
      }
      spec.setConfig(config);
    }
    spec.addAllDependsOn(strings(object.get("depends_on"), where + ".depends_on"));
    List<CommandHook> hooks = new ArrayList<>();
    if (object.has("hooks")) {
      if (!object.get("hooks").isJsonArray()) {
        throw new InvalidPlanException(where + ": \"hooks\" must be a list");
      }
      JsonArray array = object.getAsJsonArray("hooks");
      for (int i = 0; i < array.size(); i++) {
        hooks.add(hook(array.get(i), where + ".hooks[" + i + "]"));
      }
    }
    return new DesiredResource(spec.build(), hooks);
  }

  private static CommandHook hook(JsonElement element, String where) throws InvalidPlanException {
    if (!element.isJsonObject()) {
      throw new InvalidPlanException(where + " must be an object with a \"command\" list");
    }
    JsonObject object = element.getAsJsonObject();
    for (String key : object.keySet()) {
      if (!HOOK_KEYS.contains(key)) {
        throw new InvalidPlanException(
            where + ": unknown key \"" + key + "\" (known: " + HOOK_KEYS + ")");
      }
    }
    List<String> command = strings(object.get("command"), where + ".command");
    if (command.isEmpty()) {
      throw new InvalidPlanException(where + ": \"command\" must name a program");
    }
    CommandHook.Builder hook = CommandHook.newBuilder().addAllCommand(command);
    if (object.has("timeout_seconds")) {
      JsonElement t = object.get("timeout_seconds");
      if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isNumber() || t.getAsInt() < 1) {
        throw new InvalidPlanException(where + ": \"timeout_seconds\" must be a positive number");
      }
      hook.setTimeoutSeconds(t.getAsInt());
    }
    return hook.build();
  }

  private static String text(JsonObject object, String key, String where)
      throws InvalidPlanException {
    JsonElement value = object.get(key);
    if (value == null
        || !value.isJsonPrimitive()
        || !value.getAsJsonPrimitive().isString()
        || value.getAsString().isBlank()) {
      throw new InvalidPlanException(where + ": \"" + key + "\" must be a non-empty string");
    }
    return value.getAsString();
  }

  private static List<String> strings(JsonElement element, String where)
      throws InvalidPlanException {
    List<String> out = new ArrayList<>();
    if (element == null) {
      return out;
    }
    if (!element.isJsonArray()) {
      throw new InvalidPlanException(where + " must be a list of strings");
    }
    for (JsonElement item : element.getAsJsonArray()) {
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        throw new InvalidPlanException(where + " must be a list of strings, found " + item);
      }
      out.add(item.getAsString());
    }
    return out;
  }
}
