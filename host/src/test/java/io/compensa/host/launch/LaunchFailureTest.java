package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.host.testing.FakePlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launches that must fail, each with a message naming what was received and what was expected. */
class LaunchFailureTest {
  @TempDir Path dir;

  private final PluginLauncher launcher = new PluginLauncher();

  @Test
  void aPluginThatExitsBeforeItsHandshakeReportsItsExitCodeAndLastStderrLines() {
    Path plugin = FakePlugins.install("exits-before-handshake", dir);

    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class, () -> launcher.launch(options(plugin).build()));

    assertThat(failure.exitCode()).hasValue(3);
    assertThat(failure.stderrTail())
        .containsExactly(
            "reading configuration from /etc/fake-plugin.conf",
            "fatal: /etc/fake-plugin.conf: no such file");
    assertThat(failure)
        .hasMessageContaining("exited before printing its handshake")
        .hasMessageContaining("exit code: 3")
        .hasMessageContaining("fatal: /etc/fake-plugin.conf: no such file")
        .hasMessageContaining("expected: one line CORE|APP|NETWORK|ADDRESS|grpc");
  }

  @Test
  void linesPrintedBeforeAFailedHandshakeAreKeptForTheError() {
    Path wrapper = FakePlugins.install("prints-then-execs", dir);

    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class,
            () ->
                launcher.launch(
                    LaunchOptions.builder(List.of(wrapper.toString(), "false")).build()));

    assertThat(failure.strayStdout())
        .containsExactly("Picked up JAVA_TOOL_OPTIONS: nothing really");
    assertThat(failure)
        .hasMessageContaining("printed on stdout before any handshake:")
        .hasMessageContaining("Picked up JAVA_TOOL_OPTIONS: nothing really")
        .hasMessageContaining("exit code: 1");
  }

  @Test
  void aPluginThatNeverAnswersFailsAtTheStartTimeoutAndIsKilled() throws Exception {
    Path plugin = FakePlugins.install("never-answers", dir);
    Path pidFile = dir.resolve("pid");

    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class,
            () ->
                launcher.launch(
                    options(plugin)
                        .startTimeout(Duration.ofSeconds(1))
                        .environment("FAKE_PID_FILE", pidFile.toString())
                        .build()));

    assertThat(failure)
        .hasMessageContaining("printed no handshake within its start timeout of PT1S")
        .hasMessageContaining("command: " + plugin)
        .hasMessageContaining("expected: one line CORE|APP|NETWORK|ADDRESS|grpc")
        .hasMessageContaining("warming up a very large cache");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aMalformedHandshakeIsRefusedQuotingTheLineAndTheFormat() {
    assertThat(launchPrinting("1|1|unix"))
        .hasMessageContaining("malformed handshake line \"1|1|unix\"")
        .hasMessageContaining("CORE|APP|NETWORK|ADDRESS|grpc")
        .hasMessageContaining("about to answer with: 1|1|unix");
  }

  @Test
  void aNonNumericHandshakeFieldIsRefused() {
    assertThat(launchPrinting("1|x|unix|/tmp/a.sock|grpc"))
        .hasMessageContaining("APP \"x\", which is not a number");
  }

  @Test
  void anotherCoreProtocolVersionIsRefused() {
    assertThat(launchPrinting("2|1|unix|/tmp/a.sock|grpc"))
        .hasMessageContaining("incompatible core protocol version 2, expected 1");
  }

  @Test
  void anAppVersionTheHostDoesNotAcceptIsRefusedNamingBoth() {
    assertThat(launchPrinting("1|7|unix|/tmp/a.sock|grpc"))
        .hasMessageContaining("application protocol version 7")
        .hasMessageContaining("accepts only [1]");
  }

  @Test
  void aNetrpcPluginIsRefusedWithAClearMessage() {
    assertThat(launchPrinting("1|1|tcp|127.0.0.1:1234|netrpc"))
        .hasMessageContaining("netrpc")
        .hasMessageContaining("Compensa speaks only grpc");
  }

  @Test
  void aHandshakeToAnAddressNobodyServesFailsToConnect() {
    assertThat(launchPrinting("1|1|unix|" + dir.resolve("nobody.sock") + "|grpc"))
        .hasMessageContaining("is not serving")
        .hasMessageContaining("could not reach the plugin at unix://" + dir.resolve("nobody.sock"));
  }

  @Test
  void aLineLongerThan64KiBDoesNotStopTheStderrReader() {
    Path plugin = FakePlugins.install("long-stderr-line", dir);

    PluginLaunchException failure =
        catchThrowableOfType(
            PluginLaunchException.class, () -> launcher.launch(options(plugin).build()));

    assertThat(failure.exitCode()).hasValue(4);
    assertThat(failure.stderrTail()).last().isEqualTo("written after the long line");
  }

  @Test
  void aPinMismatchRefusesTheLaunchBeforeTheBinaryRuns() throws IOException {
    Path plugin = FakePlugins.install("touches-marker", dir);
    Path marker = dir.resolve("marker");
    String wrong = "0".repeat(64);

    assertThatThrownBy(
            () ->
                launcher.launch(
                    options(plugin)
                        .binaryPin(BinaryPin.sha256(wrong))
                        .environment("FAKE_MARKER", marker.toString())
                        .build()))
        .isInstanceOf(PluginLaunchException.class)
        .hasMessageContaining("refusing to launch " + plugin)
        .hasMessageContaining("but the pin expects " + wrong);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aMatchingPinLetsTheBinaryRun() throws Exception {
    Path plugin = FakePlugins.install("touches-marker", dir);
    Path marker = dir.resolve("marker");
    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(plugin));

    assertThatThrownBy(
            () ->
                launcher.launch(
                    options(plugin)
                        .binaryPin(BinaryPin.sha256(java.util.HexFormat.of().formatHex(digest)))
                        .environment("FAKE_MARKER", marker.toString())
                        .build()))
        .hasMessageContaining("exited before printing its handshake");
    assertThat(marker).exists();
  }

  @Test
  void aMissingExecutableIsReportedWithTheUsersPath() {
    assertThatThrownBy(
            () -> launcher.launch(LaunchOptions.builder(List.of("./no/such/plugin")).build()))
        .isInstanceOf(PluginLaunchException.class)
        .hasMessageContaining("plugin executable ./no/such/plugin does not exist");
  }

  @Test
  void aFileThatIsNotExecutableIsReportedWithTheFix() throws IOException {
    Path plain = Files.writeString(dir.resolve("plugin.txt"), "not a program");

    assertThatThrownBy(
            () -> launcher.launch(LaunchOptions.builder(List.of(plain.toString())).build()))
        .hasMessageContaining("is not executable")
        .hasMessageContaining("chmod +x " + plain);
  }

  private PluginLaunchException launchPrinting(String handshake) {
    Path plugin = FakePlugins.install("prints-handshake", dir);
    return catchThrowableOfType(
        PluginLaunchException.class,
        () ->
            launcher.launch(
                options(plugin)
                    .startTimeout(Duration.ofSeconds(10))
                    .environment("FAKE_HANDSHAKE", handshake)
                    .build()));
  }

  private static LaunchOptions.Builder options(Path plugin) {
    return LaunchOptions.builder(List.of(plugin.toString())).startTimeout(Duration.ofSeconds(10));
  }
}
