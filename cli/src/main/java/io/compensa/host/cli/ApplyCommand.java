package io.compensa.host.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.HostConfig;
import io.compensa.host.embed.HostStores;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateStore;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa apply PLAN}: applies a plan through the configured plugins, with progress on
 * stderr and the outcome table (or JSON) on stdout. Exits 0 only when every action succeeded. The
 * first Ctrl-C cancels (in-flight actions finish, the rest are skipped); a second one stops the
 * plugins.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Apply a plan; exit 0 only when every action succeeded.")
final class ApplyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(
      index = "0",
      paramLabel = "PLAN",
      description = "The plan file written by `compensa plan`.")
  Path planFile;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "4",
      description = "How many actions may run at once; default ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(
      names = "--on-failure",
      paramLabel = "POLICY",
      defaultValue = "stop",
      description = "stop, continue or rollback; default ${DEFAULT-VALUE}.")
  String onFailure;

  @Option(names = "--json", description = "Print the outcomes as JSON instead of a table.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "HTML",
      description =
          "Also write the apply as an HTML page (as `compensa report` does); its path goes to"
              + " stderr.")
  java.nio.file.Path report;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "How long to wait for another apply to release the state's lock (e.g. 30s, 5m);"
              + " default 0: fail at once, naming the holder.")
  java.time.Duration lockTimeout;

  @Override
  public Integer call() throws Exception {
    FailurePolicy policy = policy();
    if (parallelism < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--parallelism must be at least 1, got " + parallelism);
    }
    HostConfig host = config.read();
    Plan plan = PlanFiles.read(planFile);
    HostStores opened = HostStores.of(host);
    // refused before any plugin is launched; the engine checks again under the state lock
    opened.ensureNoApplyToRecover("apply " + planFile);
    HostStores stores = opened.waitingForLock(lockTimeout);
    ApplyResult result =
        run(
            host,
            plan,
            ApplyOptions.builder()
                .parallelism(parallelism)
                .failurePolicy(policy)
                .journal(stores.journal())
                .hookDirectory(host.source().getParent())
                .build(),
            spec.commandLine().getErr(),
            "apply " + planFile,
            stores.state(),
            stores.secrets());
    print(result, json, spec.commandLine().getOut());
    if (report != null) {
      spec.commandLine()
          .getErr()
          .println("report: " + ReportCommand.write(plan, result.outcomes(), report));
    }
    return result.allSucceeded() && result.stateSaved() ? 0 : FailureReporter.FAILURE;
  }

  /** Launches the plugins, applies, stops the plugins; Ctrl-C cancels. */
  static ApplyResult run(
      HostConfig host, Plan plan, ApplyOptions options, PrintWriter err, String purpose)
      throws Exception {
    return run(
        host,
        plan,
        options,
        err,
        purpose,
        new FileStateStore(host.stateFile()),
        new FileSecretStore(host.secretsFile()));
  }

  /**
   * Launches the plugins, applies against {@code store} and {@code secrets}, stops the plugins;
   * Ctrl-C cancels.
   */
  static ApplyResult run(
      HostConfig host,
      Plan plan,
      ApplyOptions options,
      PrintWriter err,
      String purpose,
      StateStore store,
      SecretStore secrets)
      throws Exception {
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(host);
        ProgressLines progress = new ProgressLines(err)) {
      ApplyEngine engine = new ApplyEngine(plugins.router(), store, secrets, options, progress);
      AtomicInteger interrupts = new AtomicInteger();
      Interrupts.onInterrupt(
          () -> {
            if (interrupts.incrementAndGet() == 1) {
              err.println(
                  "cancelling: in-flight actions finish, the rest are skipped (Ctrl-C again stops the plugins)");
              err.flush();
              engine.cancel();
            } else {
              plugins.close();
            }
          });
      try {
        return engine.apply(plan, purpose);
      } finally {
        Interrupts.restore();
      }
    }
  }

  static void print(ApplyResult result, boolean json, PrintWriter out) throws Exception {
    if (json) {
      JsonObject root = new JsonObject();
      root.addProperty("planId", result.planId());
      root.addProperty("allSucceeded", result.allSucceeded());
      root.addProperty("cancelled", result.cancelled());
      root.addProperty("stateSaved", result.stateSaved());
      JsonArray outcomes = new JsonArray();
      for (ActionOutcome outcome : result.outcomes()) {
        outcomes.add(JsonParser.parseString(JsonFormat.printer().print(outcome)));
      }
      root.add("outcomes", outcomes);
      JsonArray problems = new JsonArray();
      result.problems().forEach(problems::add);
      root.add("problems", problems);
      out.println(
          new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root));
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (ActionOutcome outcome : result.outcomes()) {
        rows.add(
            List.of(
                outcome.getResourceName(),
                Text.kind(outcome.getKind()),
                Text.status(outcome.getStatus()),
                Text.detail(outcome)));
      }
      out.print(Text.table(List.of("RESOURCE", "ACTION", "STATUS", "DETAIL"), rows));
      for (String problem : result.problems()) {
        out.println("problem: " + problem);
      }
      long ok =
          result.outcomes().stream()
              .filter(o -> Text.status(o.getStatus()).equals("SUCCESS"))
              .count();
      out.println(
          ok
              + " of "
              + result.outcomes().size()
              + " actions succeeded"
              + (result.cancelled() ? " (cancelled)" : ""));
    }
    out.flush();
  }

  private FailurePolicy policy() {
    switch (onFailure) {
      case "stop":
        return FailurePolicy.STOP;
      case "continue":
        return FailurePolicy.CONTINUE;
      case "rollback":
        return FailurePolicy.ROLLBACK;
      default:
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--on-failure must be stop, continue or rollback, got \"" + onFailure + "\"");
    }
  }
}
