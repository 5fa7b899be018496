package io.compensa.host.cli;

import io.compensa.host.embed.HostStores;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import io.compensa.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa report PLAN}: the plan, or an apply of it ({@code --outcomes}), as one
 * self-contained HTML page (see {@link HtmlReport}). Reads files only: no plugin is launched.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write a plan, or with --outcomes an apply of it, as one self-contained HTML page: the"
            + " graph laid out left to right, each action coloured by how it ended, the cascade"
            + " drawn, each action's errors and compensation. Prints the page's path.")
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PLAN",
      description =
          "The plan file `compensa plan` wrote; without it, the last apply the configuration's"
              + " journal and state recorded.")
  Path plan;

  @CommandLine.Mixin ConfigOption config;

  @Option(
      names = "--outcomes",
      paramLabel = "FILE",
      description = "The result of an apply of this plan, as `compensa apply --json` printed it.")
  Path outcomes;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "HTML",
      defaultValue = "report.html",
      description = "Where to write the page; default ${DEFAULT-VALUE}.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path written;
    if (plan == null) {
      written = lastApply();
    } else {
      Plan read = PlanFiles.read(plan);
      List<ActionOutcome> applied =
          outcomes == null ? List.of() : ApplyResults.outcomes(outcomes, read);
      written = write(read, applied, out);
    }
    spec.commandLine().getOut().println(written);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The report of the last apply: its plan from the journal, its outcomes from the state's record
   * of the apply's end (or, for an apply recover has not finished, the journal's).
   */
  private Path lastApply() throws Exception {
    if (outcomes != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--outcomes needs the PLAN they are the outcomes of");
    }
    io.compensa.host.config.HostConfig host = config.read();
    HostStores stores = HostStores.of(host);
    java.util.Optional<io.compensa.host.journal.JournalLog> log = stores.journal().last();
    if (log.isEmpty()) {
      throw new InvalidPlanException(
          "the journal of "
              + stores.location()
              + " holds no apply: give a PLAN, and its outcomes with --outcomes");
    }
    Plan last = log.get().plan();
    io.compensa.proto.v1.StateSnapshot state = stores.state().read();
    List<ActionOutcome> ended;
    if (state.hasFinishedApply() && state.getFinishedApply().getPlanId().equals(last.getId())) {
      ended = state.getFinishedApply().getOutcomesList();
    } else {
      java.util.Map<String, ActionOutcome> byAction = new java.util.LinkedHashMap<>();
      log.get().outcomes().forEach(o -> byAction.put(o.getOutcome().getActionId(), o.getOutcome()));
      ended = List.copyOf(byAction.values());
    }
    if (!log.get().complete()) {
      spec.commandLine()
          .getErr()
          .println(
              "report: the last apply is unfinished (run `compensa recover`): the page shows the"
                  + " outcomes it had when its host stopped");
    }
    return write(last, ended, out);
  }

  /**
   * Writes the report of {@code plan} and {@code outcomes} to {@code file}, whole (beside it first,
   * then renamed over it).
   *
   * @return the page's absolute path
   */
  static Path write(Plan plan, List<ActionOutcome> outcomes, Path file)
      throws IOException, InvalidPlanException {
    return write(plan, outcomes, file, false);
  }

  /** As {@link #write(Plan, List, Path)}, saying whether recover finished the apply. */
  static Path write(Plan plan, List<ActionOutcome> outcomes, Path file, boolean byRecover)
      throws IOException, InvalidPlanException {
    String html = HtmlReport.render(ApplyGraph.of(plan, outcomes), byRecover);
    Path target = file.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(temp, html, StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }
}
