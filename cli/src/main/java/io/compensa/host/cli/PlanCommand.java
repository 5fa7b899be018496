package io.compensa.host.cli;

import io.compensa.host.config.HostConfig;
import io.compensa.host.embed.HostStores;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.plan.DesiredResourcesReader;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.plan.PlanValidator;
import io.compensa.host.plan.Planner;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa plan DESIRED}: compares the desired resources with the state, asks the drivers'
 * Diff what changed, and writes the plan. Nothing in the world or the state changes.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Plan the actions that take the state to the desired resources, and write the plan file.")
final class PlanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "DESIRED", description = "The desired resources (JSON).")
  Path desired;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "PLAN",
      defaultValue = "plan.json",
      description = "Where to write the plan; default ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--refresh",
      arity = "1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Read every recorded resource through its driver before planning, so that a resource"
              + " deleted or changed outside Compensa is planned from the world; --refresh=false"
              + " plans from the record alone. Default ${DEFAULT-VALUE}.")
  boolean refresh;

  @Option(names = "--json", description = "Print the plan's actions, changes and counts as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    HostConfig host = config.read();
    var resources = DesiredResourcesReader.read(desired);
    HostStores stores = HostStores.of(host);
    // a plan made while an apply waits for recover would be made from a state about to change
    stores.ensureNoApplyToRecover("plan " + desired);
    StateSnapshot state = stores.state().read();
    Plan plan;
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(host)) {
      plan = new Planner(plugins.router()).plan(resources, state, refresh);
      new PlanValidator(plugins.router().types())
          .validate(
              plan,
              state.getResourcesList().stream()
                  .map(ResourceState::getName)
                  .collect(Collectors.toSet()));
    }
    PlanFiles.write(plan, out);
    if (json) {
      spec.commandLine().getOut().println(PlanText.json(plan, out.toString()));
    } else {
      spec.commandLine().getOut().print(render(plan));
      spec.commandLine().getOut().println("plan " + plan.getId() + " written to " + out);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  static String render(Plan plan) {
    return PlanText.render(plan);
  }
}
