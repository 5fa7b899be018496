package io.compensa.host.cli;

import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.embed.HostStores;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.journal.Journal;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code compensa recover}: finishes an apply whose host died, from its journal. Running it when
 * nothing is unfinished is harmless: it says so and exits 0.
 */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = "Finish an apply that was interrupted (host crash), from its journal.")
final class RecoverCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--json", description = "Print the outcomes as JSON instead of a table.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "HTML",
      description =
          "Also write the recovered apply as an HTML page (what recover settled is drawn dashed);"
              + " its path goes to stderr.")
  java.nio.file.Path report;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "How long to wait for another host to release the state's lock; default 0: fail at once.")
  java.time.Duration lockTimeout;

  @Override
  public Integer call() throws Exception {
    HostConfig host = config.read();
    HostStores stores = HostStores.of(host).waitingForLock(lockTimeout);
    Journal journal = stores.journal();
    if (journal.unfinished().isEmpty()) {
      spec.commandLine()
          .getOut()
          .println("nothing to recover: every apply on " + stores.location() + " finished");
      spec.commandLine().getOut().flush();
      return 0;
    }
    io.compensa.proto.v1.Plan plan = journal.unfinished().get().plan();
    Optional<ApplyResult> result;
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(host);
        ProgressLines progress = new ProgressLines(spec.commandLine().getErr())) {
      ApplyEngine engine =
          new ApplyEngine(
              plugins.router(),
              stores.state(),
              stores.secrets(),
              ApplyOptions.builder()
                  .journal(journal)
                  .hookDirectory(host.source().getParent())
                  .build(),
              progress);
      result = engine.recover("recover");
    }
    if (result.isEmpty()) {
      spec.commandLine()
          .getOut()
          .println("nothing to recover: every apply on " + stores.location() + " finished");
      spec.commandLine().getOut().flush();
      return 0;
    }
    spec.commandLine().getErr().println("recovered plan " + result.get().planId());
    ApplyCommand.print(result.get(), json, spec.commandLine().getOut());
    if (report != null && result.get().planId().equals(plan.getId())) {
      spec.commandLine()
          .getErr()
          .println("report: " + ReportCommand.write(plan, result.get().outcomes(), report, true));
    }
    return result.get().allSucceeded() && result.get().stateSaved() ? 0 : FailureReporter.FAILURE;
  }
}
