package io.compensa.host.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what {@code compensa apply --json} printed, for the commands that picture an apply. */
final class ApplyResults {
  private ApplyResults() {}

  /** The outcomes in {@code file}, an {@code apply --json} result of {@code plan}. */
  static List<ActionOutcome> outcomes(Path file, Plan plan) throws InvalidPlanException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidPlanException(
          file + ": no such file: give what `compensa apply --json` printed");
    } catch (IOException e) {
      throw new InvalidPlanException(file + ": cannot be read: " + e.getMessage(), e);
    }
    JsonObject root;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("outcomes")) {
        throw new InvalidPlanException(
            file
                + ": not an apply result: expected {\"planId\": ..., \"outcomes\": [...]} as"
                + " `compensa apply --json` prints it");
      }
      root = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidPlanException(file + ": not JSON: " + e.getMessage(), e);
    }
    JsonElement planId = root.get("planId");
    if (planId != null && !isString(planId)) {
      throw new InvalidPlanException(
          file + ": \"planId\" must be a string, as `compensa apply --json` prints it");
    }
    if (planId != null && !planId.getAsString().equals(plan.getId())) {
      throw new InvalidPlanException(
          file
              + " is the result of plan "
              + planId.getAsString()
              + ", not of "
              + plan.getId()
              + ": give the plan that apply ran");
    }
    if (!root.get("outcomes").isJsonArray()) {
      throw new InvalidPlanException(
          file + ": \"outcomes\" must be a list, as `compensa apply --json` prints it");
    }
    List<ActionOutcome> outcomes = new ArrayList<>();
    int index = 0;
    for (JsonElement element : root.getAsJsonArray("outcomes")) {
      if (!element.isJsonObject()) {
        throw new InvalidPlanException(file + ": outcome " + index + " is not an object");
      }
      ActionOutcome.Builder outcome = ActionOutcome.newBuilder();
      try {
        JsonFormat.parser().merge(element.toString(), outcome);
      } catch (InvalidProtocolBufferException e) {
        throw new InvalidPlanException(
            file + ": outcome " + index + " is not an ActionOutcome: " + e.getMessage(), e);
      }
      outcomes.add(outcome.build());
      index++;
    }
    return outcomes;
  }

  private static boolean isString(JsonElement element) {
    return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
  }
}
