package io.compensa.host.cli;

import com.google.protobuf.util.JsonFormat;
import io.compensa.host.config.HostConfig;
import io.compensa.host.embed.HostStores;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa state list|show NAME}: what the state records. Sensitive values appear only as
 * references.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description = "Inspect the state.",
    subcommands = {
      StateCommand.ListCommand.class,
      StateCommand.ShowCommand.class,
      StateCommand.MigrateCommand.class
    })
final class StateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a state command: list, show NAME or migrate");
  }

  /** {@code state list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the recorded resources.")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--json",
        description = "Print the whole state as ProtoJSON, as the state file holds it.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      HostConfig host = config.read();
      StateSnapshot state = HostStores.of(host).state().read();
      if (json) {
        spec.commandLine().getOut().println(JsonFormat.printer().print(state));
        spec.commandLine().getOut().flush();
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (ResourceState resource : state.getResourcesList()) {
        List<String> flags = new ArrayList<>();
        if (resource.getTainted()) {
          flags.add("tainted");
        }
        if (resource.getNeedsAttention()) {
          flags.add("needs attention: " + resource.getAttentionReason());
        }
        if (resource.getDeposedCount() > 0) {
          // old objects a create-before-delete replace could not delete yet: they still exist
          flags.add(
              resource.getDeposedCount()
                  + " deposed: "
                  + String.join(
                      ", ",
                      resource.getDeposedList().stream()
                          .map(d -> d.getState().getOutput().getProviderId())
                          .toList()));
        }
        rows.add(
            List.of(
                resource.getName(),
                resource.getType(),
                resource.getOutput().getProviderId(),
                String.join(", ", flags)));
      }
      spec.commandLine()
          .getOut()
          .print(Text.table(List.of("NAME", "TYPE", "PROVIDER ID", "FLAGS"), rows));
      spec.commandLine()
          .getOut()
          .println(state.getResourcesCount() + " resources (serial " + state.getSerial() + ")");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code state show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one recorded resource as ProtoJSON, as the state file holds it.")
  static final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "NAME", description = "The resource's name.")
    String name;

    @Override
    public Integer call() throws Exception {
      HostConfig host = config.read();
      HostStores stores = HostStores.of(host);
      StateSnapshot state = stores.state().read();
      Optional<ResourceState> resource =
          state.getResourcesList().stream().filter(r -> r.getName().equals(name)).findFirst();
      if (resource.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "state show: no resource named \""
                    + name
                    + "\" in "
                    + stores.location()
                    + " (see `compensa state list`)");
        return FailureReporter.FAILURE;
      }
      spec.commandLine().getOut().println(JsonFormat.printer().print(resource.get()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /**
   * {@code state migrate --from LOCATION --to LOCATION}: copies a state between stores (a file and
   * a PostgreSQL database, either way) without loss: every resource as recorded, the serial, the
   * lineage and the last plan id. Secret values are not in the state (only their references), so
   * the secrets file is neither read nor changed. Both states are locked while copying; a source
   * with an unfinished apply, or a target that already records anything, is refused.
   */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description =
          "Copy a state to another store (file:PATH or postgresql://...); the target must be empty.")
  static final class MigrateCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "LOCATION",
        description = "The state to copy: file:PATH or postgresql://HOST[:PORT]/DB?state=NAME.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "LOCATION",
        description =
            "Where to copy it (must be empty): file:PATH or postgresql://HOST[:PORT]/DB?state=NAME.")
    String to;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "A file (mode 600) holding the PostgreSQL password, when COMPENSA_PG_PASSWORD and PGPASSWORD"
                + " are unset. Passwords are never taken on the command line.")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
      HostStores source = HostStores.at(from, Optional.ofNullable(passwordFile));
      HostStores target = HostStores.at(to, Optional.ofNullable(passwordFile));
      if (source.location().equals(target.location())) {
        spec.commandLine()
            .getErr()
            .println(
                "state migrate: --from and --to name the same state (" + source.location() + ")");
        return FailureReporter.FAILURE;
      }
      StateSnapshot copied;
      try (StateLock sourceLock = source.state().lock("state migrate to " + target.location());
          StateLock targetLock = target.state().lock("state migrate from " + source.location())) {
        if (source.journal().unfinished().isPresent()) {
          throw new StateStoreException(
              "the source "
                  + source.location()
                  + " has an unfinished apply: run"
                  + " `compensa recover` against it first, then migrate");
        }
        StateSnapshot existing = target.state().read();
        if (existing.getResourcesCount() > 0
            || existing.getSerial() > 0
            || !existing.getLineage().isEmpty()
            || target.journal().unfinished().isPresent()) {
          throw new StateStoreException(
              "the target "
                  + target.location()
                  + " is not empty ("
                  + existing.getResourcesCount()
                  + " resources, serial "
                  + existing.getSerial()
                  + "): migrate only into an empty state; nothing was"
                  + " changed");
        }
        copied = source.state().read();
        target.state().write(copied);
        StateSnapshot back = target.state().read();
        if (!back.equals(copied)) {
          throw new StateStoreException(
              "the copy in "
                  + target.location()
                  + " does not read back equal to the source"
                  + " (a host bug: please report it); the source was not changed");
        }
      }
      var out = spec.commandLine().getOut();
      out.println(
          "copied "
              + copied.getResourcesCount()
              + " resources (serial "
              + copied.getSerial()
              + ", lineage "
              + (copied.getLineage().isEmpty() ? "none" : copied.getLineage())
              + ") from "
              + source.location()
              + " to "
              + target.location());
      out.println(
          "the source was left as it is; point \"state\" in compensa.json at the target to use it");
      out.println(
          "secrets: the state holds only references (secret:<resource>/<key>), copied as they are; the values"
              + " were not copied and the secrets store was not changed: a file state keeps them in its secrets file"
              + " (\"secrets\" in compensa.json), a PostgreSQL state in the database, encrypted (docs/postgresql.md)");
      out.flush();
      return 0;
    }
  }
}
