package io.compensa.host.cli;

import io.compensa.host.plan.PlanFiles;
import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import java.nio.file.Path;
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
    List<ActionOutcome> applied =
        outcomes == null ? List.of() : ApplyResults.outcomes(outcomes, read);
    ApplyGraph graph = ApplyGraph.of(read, applied);
    spec.commandLine()
        .getOut()
        .print(format == Format.dot ? GraphText.dot(graph) : GraphText.mermaid(graph));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
