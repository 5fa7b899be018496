package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.compensa.host.testing.LocalFs;
import io.compensa.proto.v1.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compensa CLI, run in-process against real plugin processes. */
class CompensaCliTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void describePrintsTheManifestForPeople() throws Exception {
    int exit = run("describe", localfsExecutable().toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Plugin:        localfs")
        .contains("Version:       0.1.0")
        .contains("Contract:      v1")
        .containsPattern(
            "localfs_file +create,read,update,delete,diff +host-inverse +host-inverse +host-inverse");
  }

  @Test
  void describeJsonPrintsProtoJsonThatParsesBackIntoTheManifest() throws Exception {
    int exit = run("describe", "--json", localfsExecutable().toString());

    assertThat(exit).as(err.toString()).isZero();
    Manifest.Builder manifest = Manifest.newBuilder();
    JsonFormat.parser().merge(out.toString(), manifest);
    assertThat(manifest.getName()).isEqualTo("localfs");
    assertThat(manifest.getResourceTypesList())
        .extracting(t -> t.getName())
        .contains("localfs_file");
  }

  @Test
  void aMissingPluginIsOneClearErrorWithTheUsersPathAndExitCode1() {
    int exit = run("describe", "./no/such/plugin");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .startsWith("compensa describe: plugin executable ./no/such/plugin does not exist")
        .doesNotContain("Exception");
  }

  @Test
  void aMalformedChecksumIsAUsageErrorWithExitCode2() {
    int exit = run("describe", "--sha256", "abc", "./plugin");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("SHA-256 pin \"abc\" is not 64 hex digits");
  }

  @Test
  void describeWithoutAPluginIsAUsageError() {
    assertThat(run("describe")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'PLUGIN'");
  }

  @Test
  void aBadOptionValueIsTwoShortLinesNamingItAndWhereTheUsageIsWithExitCode2() {
    int exit = run("apply", "--parallelism", "x", "plan.json");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(2);
    assertThat(err.toString())
        .startsWith("compensa apply: ")
        .contains("--parallelism")
        .contains("'x'")
        .endsWith("Run 'compensa apply --help' for usage." + System.lineSeparator());

    assertThat(run("apply", "--on-failure", "maybe", "plan.json")).isEqualTo(2);
    assertThat(err.toString()).contains("maybe").contains("Run 'compensa apply --help' for usage.");
  }

  private int run(String... args) {
    return CompensaCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  /** An executable script that runs localfs, as a user would have one. */
  private Path localfsExecutable() throws IOException {
    Path script = dir.resolve("compensa-localfs");
    Files.writeString(
        script, "#!/bin/sh\nexec '" + String.join("' '", LocalFs.command()) + "' \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }
}
