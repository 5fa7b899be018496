package io.compensa.host.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa graph PLAN}: the plan's dependency graph as DOT or Mermaid text, for docs and
 * pull requests; with {@code --outcomes} (what {@code apply --json} printed), each action coloured
 * by how it ended and the cascade drawn. Reads files only: no plugin is launched.
 */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description =
        "Print a plan's dependency graph as DOT or Mermaid; with --outcomes, coloured by how each"
            + " action ended, with the cascade (what was skipped because of which failure, which"
            + " dependent blocked a rollback).")
final class GraphCommand implements Callable<Integer> {
  /** The text formats. */
  enum Format {
    dot,
    mermaid
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PLAN",
      description = "The plan file `compensa plan` wrote.")
  Path plan;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "dot",
      description = "dot or mermaid; default ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--outcomes",
      paramLabel = "FILE",
      description = "The result of an apply of this plan, as `compensa apply --json` printed it.")
  Path outcomes;

  @Override
  public Integer call() throws Exception {
    Plan read = PlanFiles.read(plan);
    List<ActionOutcome> applied = outcomes == null ? List.of() : readOutcomes(outcomes, read);
    ApplyGraph graph = ApplyGraph.of(read, applied);
    spec.commandLine()
        .getOut()
        .print(format == Format.dot ? GraphText.dot(graph) : GraphText.mermaid(graph));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The outcomes in {@code file}, an {@code apply --json} result of {@code plan}. */
  private static List<ActionOutcome> readOutcomes(Path file, Plan plan)
      throws InvalidPlanException {
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
    if (root.has("planId") && !root.get("planId").getAsString().equals(plan.getId())) {
      throw new InvalidPlanException(
          file
              + " is the result of plan "
              + root.get("planId").getAsString()
              + ", not of "
              + plan.getId()
              + ": give the plan that apply ran");
    }
    List<ActionOutcome> outcomes = new ArrayList<>();
    int index = 0;
    for (JsonElement element : root.getAsJsonArray("outcomes")) {
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
}
