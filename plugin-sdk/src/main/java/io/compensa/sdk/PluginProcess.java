package io.compensa.sdk;

import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.LaunchEnvironment;
import io.compensa.protocol.ProtocolVersions;
import io.compensa.sdk.internal.AutoMtls;
import io.compensa.sdk.internal.InterruptSignal;
import io.compensa.sdk.internal.ListenAddress;
import io.compensa.sdk.internal.OrphanGuard;
import io.compensa.sdk.internal.StartupException;
import io.compensa.sdk.internal.logging.HclogOutput;
import io.compensa.sdk.internal.logging.JulBridge;
import io.compensa.sdk.packaging.TrainingRun;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a plugin process under go-plugin's launch protocol: cookie, configuration, listen,
 * handshake line, serve, exit.
 *
 * <p>This is the only class of the SDK that ends the process. Used once per process, from the
 * thread that calls {@code CompensaPlugin.serve()}.
 */
final class PluginProcess {

  /** The sentence a person who runs the plugin binary by hand reads. */
  public static final String NOT_A_COMMAND =
      "This binary is a Compensa plugin. It is not meant to be run directly: start it from a"
          + " Compensa host (for example `compensa describe <path>`).";

  /** Netty's (shaded) switch for its JFR events. */
  static final String NETTY_JFR = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private static final Logger log = LoggerFactory.getLogger(PluginProcess.class);

  private final PluginDefinition definition;
  private final Map<String, String> env;
  private final PrintStream handshakeOut;

  private PluginProcess(
      PluginDefinition definition, Map<String, String> env, PrintStream handshakeOut) {
    this.definition = definition;
    this.env = env;
    this.handshakeOut = handshakeOut;
  }

  /**
   * Serves a plugin, then ends the process with status 0 after a shutdown, or 1 when it cannot
   * start.
   *
   * @param definition the plugin's registrations
   */
  public static void serve(PluginDefinition definition) {
    quietNetty();
    // the handshake line must be the first line on stdout: keep the real stdout for it, and send
    // whatever else the plugin prints there to stderr, where the host logs it
    PrintStream handshakeOut = System.out;
    System.setOut(
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    HclogOutput.setModule(definition.name());
    JulBridge.install();
    Map<String, String> env = System.getenv();
    if (TrainingRun.requested(env)) {
      env = trainingEnvironment(definition, env);
    } else if (DebugMode.requested(env)) {
      env = DebugMode.environment(definition.cookieKey(), definition.cookieValue(), env);
    }
    int status = new PluginProcess(definition, env, handshakeOut).run();
    System.exit(status);
  }

  private int run() {
    if (!definition.cookieValue().equals(env.get(definition.cookieKey()))) {
      System.err.println(NOT_A_COMMAND);
      return 1;
    }
    PluginServer server;
    HandshakeLine handshake;
    try {
      PluginConfig config = PluginConfigReader.read(env.get(LaunchEnvironment.PLUGIN_CONFIG));
      server = new PluginServer(definition, ContractServices.drivers(definition, config));
      int appVersion = appVersion();
      if (!DebugMode.requested(env)) {
        // a debug-mode plugin runs in its author's terminal, where Ctrl-C should stop it
        InterruptSignal.ignore();
      }
      AutoMtls tls = AutoMtls.fromEnvironment(env);
      Optional<OrphanGuard.Watched> host = OrphanGuard.host(env);
      handshake = server.start(ListenAddress.fromEnvironment(env), appVersion, tls);
      host.ifPresent(watched -> OrphanGuard.start(watched, server::stop));
    } catch (StartupException failure) {
      log.atError().setCause(failure.getCause()).log(failure.getMessage());
      return 1;
    }
    if (TrainingRun.requested(env)) {
      TrainingRun.prepareNativeLibraries();
      TrainingRun.recordJdk();
      // the same line as a real start, so the archive holds the classes that write it: a real
      // start writes it while the host makes its first calls
      logServing(handshake);
      warmConfigReader();
      TrainingRun.exercise(
          handshake, definition.types().stream().map(t -> t.type().name()).toList());
      server.stop();
      // the socket directory trainingEnvironment made (the server removed its socket)
      try {
        java.nio.file.Files.deleteIfExists(
            java.nio.file.Path.of(env.get(LaunchEnvironment.UNIX_SOCKET_DIR)));
      } catch (java.io.IOException ignored) {
        // a directory left in the temporary folder is harmless
      }
      return 0;
    }
    if (DebugMode.requested(env)) {
      // no host reads this line: it is for the author to paste where they run compensa
      handshakeOut.println(DebugMode.pasteLine(definition.name(), handshake));
      handshakeOut.flush();
      log.info(
          "plugin {} runs in debug mode (pid {}): no host started it and none will stop it; paste"
              + " the line above into the shell that runs compensa, which then attaches to this"
              + " process instead of launching the plugin. Ctrl-C stops it.",
          definition.name(),
          ProcessHandle.current().pid());
    } else {
      handshakeOut.println(handshake.format());
      handshakeOut.flush();
    }
    logServing(handshake);
    try {
      server.awaitStopped();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    log.info("plugin {} stopped", definition.name());
    return 0;
  }

  private void logServing(HandshakeLine handshake) {
    log.atInfo()
        .addKeyValue("network", handshake.network())
        .addKeyValue("address", handshake.address())
        .addKeyValue("auto_mtls", handshake.certificate() != null)
        .addKeyValue("version", definition.version())
        .log("plugin {} serving", definition.name());
  }

  /**
   * Netty's buffer allocator reports JFR events when JFR is present: checking whether they are
   * enabled starts JFR's machinery (~50 ms of class loading at a plugin's first call, classes a
   * class-data archive cannot hold). A plugin records no such events unless its operator asks:
   * {@code -D}{@value #NETTY_JFR}{@code =true} still turns them on.
   */
  private static void quietNetty() {
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
  }

  /** What a host would pass, for a training run: the cookie and a fresh socket directory. */
  /** Parses a configuration of every JSON kind, so the archive holds the parser's classes too. */
  private static void warmConfigReader() {
    try {
      PluginConfigReader.read(TrainingRun.SAMPLE_CONFIG);
    } catch (StartupException impossible) {
      throw new IllegalStateException("the training configuration does not parse", impossible);
    }
  }

  private static Map<String, String> trainingEnvironment(
      PluginDefinition definition, Map<String, String> env) {
    Map<String, String> training = new LinkedHashMap<>(env);
    training.put(definition.cookieKey(), definition.cookieValue());
    training.remove(LaunchEnvironment.HOST_PID);
    training.remove(LaunchEnvironment.CLIENT_CERT);
    try {
      training.put(
          LaunchEnvironment.UNIX_SOCKET_DIR,
          java.nio.file.Files.createTempDirectory("compensa-training").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot make a socket directory for training", e);
    }
    return training;
  }

  private int appVersion() {
    String hostList = env.get(LaunchEnvironment.PROTOCOL_VERSIONS);
    int version = ProtocolVersions.negotiate(definition.appVersions(), hostList);
    if (hostList != null && !ProtocolVersions.parse(hostList).contains(version)) {
      log.atWarn()
          .addKeyValue("plugin_versions", definition.appVersions().toString())
          .addKeyValue("host_versions", String.valueOf(hostList))
          .log(
              "no app protocol version in common with the host: answering {}, the host will"
                  + " report the mismatch",
              version);
    }
    return version;
  }
}
