package io.compensa.host.cli;

import com.google.protobuf.util.JsonFormat;
import io.compensa.host.config.HostConfig;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code compensa state list|show NAME}: what the state records. Sensitive values appear only as references. */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description = "Inspect the state.",
    subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class})
final class StateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a state command: list or show NAME");
  }

  /** {@code state list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the recorded resources.")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
      HostConfig host = config.read();
      StateSnapshot state = new FileStateStore(host.stateFile()).read();
      List<List<String>> rows = new ArrayList<>();
      for (ResourceState resource : state.getResourcesList()) {
        List<String> flags = new ArrayList<>();
        if (resource.getTainted()) {
          flags.add("tainted");
        }
        if (resource.getNeedsAttention()) {
          flags.add("needs attention: " + resource.getAttentionReason());
        }
        rows.add(List.of(resource.getName(), resource.getType(), resource.getOutput().getProviderId(),
            String.join(", ", flags)));
      }
      spec.commandLine().getOut().print(Text.table(List.of("NAME", "TYPE", "PROVIDER ID", "FLAGS"), rows));
      spec.commandLine().getOut().println(state.getResourcesCount() + " resources (serial " + state.getSerial() + ")");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code state show NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one recorded resource as JSON.")
  static final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "NAME", description = "The resource's name.")
    String name;

    @Override
    public Integer call() throws Exception {
      HostConfig host = config.read();
      StateSnapshot state = new FileStateStore(host.stateFile()).read();
      Optional<ResourceState> resource = state.getResourcesList().stream()
          .filter(r -> r.getName().equals(name)).findFirst();
      if (resource.isEmpty()) {
        spec.commandLine().getErr().println("state show: no resource named \"" + name + "\" in " + host.stateFile()
            + " (see `compensa state list`)");
        return FailureReporter.FAILURE;
      }
      spec.commandLine().getOut().println(JsonFormat.printer().preservingProtoFieldNames().print(resource.get()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
