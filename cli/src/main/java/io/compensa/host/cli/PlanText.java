package io.compensa.host.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A plan as people read it: a table of the actions (with what the refresh found, when it found
 * something), then per action the configuration attributes that change ({@code +} added, {@code ~}
 * changed old -> new, {@code -} removed), and a closing line with the count of each kind; or the
 * same as JSON. Configuration values are shown as JSON, cut at {@value #MAX_VALUE} characters (the
 * contract marks only outputs sensitive, and outputs are not shown). Stateless.
 */
final class PlanText {
  /** The longest value shown; a longer one ends in "...". */
  static final int MAX_VALUE = 60;

  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private PlanText() {}

  /** One attribute's change. */
  record Change(String sign, String attribute, String before, String after) {
    String line() {
      return switch (sign) {
        case "+" -> "+ " + attribute + ": " + after;
        case "-" -> "- " + attribute + ": " + before;
        default -> "~ " + attribute + ": " + before + " -> " + after;
      };
    }
  }

  /** The human text. */
  static String render(Plan plan) {
    if (plan.getActionsCount() == 0) {
      return "No changes: the state matches the desired resources." + System.lineSeparator();
    }
    boolean drift = plan.getActionsList().stream().anyMatch(a -> !a.getDrift().isEmpty());
    List<String> header = new ArrayList<>(List.of("ACTION", "RESOURCE", "TYPE"));
    if (drift) {
      header.add("FOUND IN THE WORLD");
    }
    List<List<String>> rows = new ArrayList<>();
    for (PlanAction action : plan.getActionsList()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  Text.kind(action.getKind()),
                  action.getResource().getName(),
                  action.getResource().getType()));
      if (drift) {
        row.add(action.getDrift());
      }
      rows.add(row);
    }
    StringBuilder out = new StringBuilder(Text.table(header, rows));
    for (PlanAction action : plan.getActionsList()) {
      List<Change> changes = changes(action);
      if (changes.isEmpty()) {
        continue;
      }
      out.append(System.lineSeparator())
          .append(action.getResource().getName())
          .append(" (")
          .append(Text.kind(action.getKind()))
          .append("):")
          .append(System.lineSeparator());
      for (Change change : changes) {
        out.append("  ").append(change.line()).append(System.lineSeparator());
      }
    }
    return out.append(System.lineSeparator())
        .append(summary(plan))
        .append(System.lineSeparator())
        .toString();
  }

  /** The same as JSON: the plan's id, each action with its changes, and the counts. */
  static String json(Plan plan, String file) {
    JsonObject top = new JsonObject();
    top.addProperty("planId", plan.getId());
    top.addProperty("file", file);
    JsonArray actions = new JsonArray();
    for (PlanAction action : plan.getActionsList()) {
      JsonObject one = new JsonObject();
      one.addProperty("id", action.getId());
      one.addProperty("kind", Text.kind(action.getKind()));
      one.addProperty("resource", action.getResource().getName());
      one.addProperty("type", action.getResource().getType());
      if (!action.getDrift().isEmpty()) {
        one.addProperty("drift", action.getDrift());
      }
      JsonArray changes = new JsonArray();
      for (Change change : changes(action)) {
        JsonObject c = new JsonObject();
        c.addProperty("change", change.sign());
        c.addProperty("attribute", change.attribute());
        if (change.before() != null) {
          c.addProperty("old", change.before());
        }
        if (change.after() != null) {
          c.addProperty("new", change.after());
        }
        changes.add(c);
      }
      one.add("changes", changes);
      actions.add(one);
    }
    top.add("actions", actions);
    JsonObject counts = new JsonObject();
    counts(plan).forEach((kind, n) -> counts.addProperty(Text.kind(kind), n));
    top.add("summary", counts);
    return GSON.toJson(top);
  }

  /** "Plan: 1 to create, 0 to update, 0 to replace, 2 to delete." */
  static String summary(Plan plan) {
    Map<ActionKind, Integer> counts = counts(plan);
    List<String> parts = new ArrayList<>();
    counts.forEach((kind, n) -> parts.add(n + " to " + Text.kind(kind)));
    return "Plan: " + String.join(", ", parts) + ".";
  }

  private static Map<ActionKind, Integer> counts(Plan plan) {
    Map<ActionKind, Integer> counts = new EnumMap<>(ActionKind.class);
    for (ActionKind kind :
        List.of(
            ActionKind.ACTION_KIND_CREATE,
            ActionKind.ACTION_KIND_UPDATE,
            ActionKind.ACTION_KIND_REPLACE,
            ActionKind.ACTION_KIND_DELETE)) {
      counts.put(kind, 0);
    }
    for (PlanAction action : plan.getActionsList()) {
      counts.merge(action.getKind(), 1, Integer::sum);
    }
    return counts;
  }

  /** The configuration attributes {@code action} changes, in name order. */
  static List<Change> changes(PlanAction action) {
    // from the world when the refresh saw it differ from the record: what the apply changes there
    Struct before =
        action.getKind() == ActionKind.ACTION_KIND_CREATE
            ? Struct.getDefaultInstance()
            : action.hasObservedConfig()
                ? action.getObservedConfig()
                : action.getCurrent().getConfig();
    Struct after =
        action.getKind() == ActionKind.ACTION_KIND_DELETE
            ? Struct.getDefaultInstance()
            : action.getResource().getConfig();
    TreeSet<String> keys = new TreeSet<>(before.getFieldsMap().keySet());
    keys.addAll(after.getFieldsMap().keySet());
    List<Change> changes = new ArrayList<>();
    for (String key : keys) {
      Value old = before.getFieldsMap().get(key);
      Value now = after.getFieldsMap().get(key);
      if (old == null) {
        changes.add(new Change("+", key, null, shown(now)));
      } else if (now == null) {
        changes.add(new Change("-", key, shown(old), null));
      } else if (!old.equals(now)) {
        changes.add(new Change("~", key, shown(old), shown(now)));
      }
    }
    return changes;
  }

  private static String shown(Value value) {
    if (value.hasNumberValue()
        && value.getNumberValue() == Math.rint(value.getNumberValue())
        && Math.abs(value.getNumberValue()) < 1e15) {
      // a Struct holds every number as a double: a whole one reads as written (8080, not 8080.0)
      return Long.toString((long) value.getNumberValue());
    }
    String json;
    try {
      // through Gson so that <, > and & read as themselves ("<h1>"), not as \\u003c escapes
      json =
          COMPACT.toJson(
              JsonParser.parseString(
                  JsonFormat.printer().omittingInsignificantWhitespace().print(value)));
    } catch (InvalidProtocolBufferException e) {
      json = value.toString();
    }
    return json.length() <= MAX_VALUE ? json : json.substring(0, MAX_VALUE - 3) + "...";
  }
}
