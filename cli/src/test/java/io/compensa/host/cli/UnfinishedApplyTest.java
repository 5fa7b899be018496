package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While an earlier apply waits for {@code compensa recover} (its journal unfinished, no host
 * holding the state), {@code plan} and {@code apply} both refuse with exit 1, naming the command to
 * run, before any plugin is launched (the plugin runs behind a wrapper that leaves a marker); once
 * recover has run, planning works again.
 */
class UnfinishedApplyTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;

  private final InProcessCli cli = new InProcessCli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void planAndApplyRefuseBeforeLaunchingAnyPluginUntilRecoverHasRun() throws Exception {
    Path marker = dir.resolve("launched");
    Path wrapper = dir.resolve("wrapper.sh");
    Files.writeString(wrapper, "#!/bin/sh\ntouch '" + marker + "'\nexec \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    Path world = Files.createDirectories(dir.resolve("world"));
    Path config =
        InProcessCli.writeConfig(
            dir,
            "state/state.json",
            null,
            "localfs",
            InProcessCli.plugin(LocalFs.commandAfter(wrapper), InProcessCli.localfsConfig(world)));

    // an apply that died right after journaling its start
    Plan died = Plan.newBuilder().setId("died").build();
    new FileJournal(dir.resolve("state/state.json")).begin(died, "stop", "a host that died");
    Path desired = dir.resolve("desired.json");
    Files.writeString(desired, "{\"resources\": []}");
    Path planFile = dir.resolve("plan.json");
    Path other = dir.resolve("other-plan.json");
    PlanFiles.write(
        Plan.newBuilder()
            .setId("other")
            .addActions(LocalFsWorld.create("a1", "doc", "doc.txt", "x\n"))
            .build(),
        other);

    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                planFile.toString(),
                desired.toString()))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains("an earlier apply of plan died did not finish")
        .contains("run `compensa recover` to finish it first");
    assertThat(planFile).doesNotExist();

    assertThat(run("apply", "--config", config.toString(), other.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("plan died did not finish").contains("compensa recover");
    assertThat(marker).as("no plugin was launched").doesNotExist();
    assertThat(world.resolve("doc.txt")).doesNotExist();

    assertThat(run("recover", "--config", config.toString())).as(cli.err()).isZero();
    assertThat(
            run(
                "plan",
                "--config",
                config.toString(),
                "-o",
                planFile.toString(),
                desired.toString()))
        .as(cli.err())
        .isZero();
    assertThat(planFile).exists();
  }
}
