package io.compensa.host.launch;

import io.compensa.host.client.CallDeadlines;
import io.compensa.host.client.CrashWatch;
import io.compensa.host.client.PluginClient;
import io.compensa.host.manifest.ManifestValidator;
import io.compensa.proto.v1.Manifest;
import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.LaunchEnvironment;
import io.compensa.protocol.ProtocolVersions;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches plugin executables with go-plugin's launch protocol and hands back running, validated
 * plugins.
 *
 * <p>See the package documentation for the steps. Whatever fails, the process is killed and a
 * {@link PluginLaunchException} says what failed, what was expected, the exit code and the last
 * stderr lines.
 *
 * <p>Thread-safe: one launcher may launch many plugins concurrently.
 */
public final class PluginLauncher {
  /** Protocol variables the host sets itself; never inherited from the host's environment. */
  private static final List<String> PROTOCOL_VARIABLES =
      List.of(
          LaunchEnvironment.PROTOCOL_VERSIONS,
          LaunchEnvironment.MIN_PORT,
          LaunchEnvironment.MAX_PORT,
          LaunchEnvironment.UNIX_SOCKET_DIR,
          LaunchEnvironment.CLIENT_CERT,
          LaunchEnvironment.MULTIPLEX_GRPC,
          LaunchEnvironment.HOST_PID,
          LaunchEnvironment.PLUGIN_CONFIG);

  private static final Logger LOG = LoggerFactory.getLogger(PluginLauncher.class);

  private final ManifestValidator validator = new ManifestValidator();

  /** The JDK's setting of how it starts processes, read once, when it starts the first. */
  static final String LAUNCH_MECHANISM_PROPERTY = "jdk.lang.Process.launchMechanism";

  /** Creates a launcher. */
  public PluginLauncher() {}

  /**
   * Has this JVM start plugins with {@code vfork} and one {@code exec}, instead of the JDK 17
   * default on Linux, {@code posix_spawn} of the JDK's {@code jspawnhelper}, which then executes
   * the plugin: one program start fewer, ~1 ms less of each launch (0.7 against 1.6 ms on a 2-core
   * VM). The JDK reads the setting once, as the JVM starts its first process, so call this first
   * thing in {@code main}; the {@code compensa} CLI does. An explicit {@code
   * -Djdk.lang.Process.launchMechanism} is left as it is, and other systems than Linux are left
   * alone.
   */
  public static void preferVforkLaunch() {
    if (System.getProperty(LAUNCH_MECHANISM_PROPERTY) == null
        && "Linux".equals(System.getProperty("os.name"))) {
      System.setProperty(LAUNCH_MECHANISM_PROPERTY, "VFORK");
    }
  }

  /**
   * Starts the plugin, waits for its handshake, connects, checks its health and validates its
   * manifest.
   *
   * @throws PluginLaunchException when any step fails; the process is killed by then
   */
  public LaunchedPlugin launch(LaunchOptions options) {
    String shownCommand = options.command().get(0);
    Path executable =
        Executable.resolve(shownCommand, options.workingDirectory(), System.getenv("PATH"));
    options.binaryPin().ifPresent(pin -> pin.verify(executable, shownCommand));

    HostTls tls = options.usesAutoMtls() ? HostTls.create() : null;
    SocketDirectory socketDirectory = null;
    PluginProcess process;
    try {
      if (options.transport() == LaunchOptions.Transport.UNIX) {
        socketDirectory = SocketDirectory.create(options.socketParent());
      }
      LOG.debug("launching plugin {}: {}", options.name(), options.command());
      process =
          PluginProcess.start(
              options.name(),
              options.command(),
              environment(options, socketDirectory, tls),
              options.workingDirectory(),
              socketDirectory,
              options.stderrTailLines());
    } catch (IOException e) {
      if (socketDirectory != null) {
        socketDirectory.delete();
      }
      throw PluginLaunchException.before(
          "could not start plugin " + shownCommand + ": " + e.getMessage(), e);
    }
    LaunchedProcesses.INSTANCE.add(process);
    return new LaunchAttempt(options, process, validator, tls).run();
  }

  /**
   * Attaches to a plugin that is already running, given the handshake line it printed: connects,
   * checks its health, and validates its manifest. The host will never stop or kill that process.
   * As with go-plugin, AutoMTLS cannot be used when attaching: the plugin must serve plaintext.
   *
   * @param name the plugin's name in logs and errors
   * @throws PluginLaunchException when the plugin does not serve or its manifest is invalid
   */
  public AttachedPlugin attach(HandshakeLine handshake, String name, CallDeadlines deadlines) {
    if (handshake.autoMtls()) {
      throw PluginLaunchException.before(
          "cannot attach to plugin "
              + name
              + " at "
              + handshake.target()
              + " under AutoMTLS: it"
              + " trusts only the certificate of the host that launched it; start it without"
              + " PLUGIN_CLIENT_CERT to attach to it",
          null);
    }
    ManagedChannel channel =
        PluginConnector.open(handshake, LaunchOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    try {
      PluginConnector.awaitServing(channel, handshake, LaunchAttempt.MIN_HEALTH_DEADLINE);
      PluginClient client =
          new PluginClient(
              channel,
              name,
              deadlines,
              CrashWatch.NONE,
              LaunchOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
      Manifest manifest = client.describe();
      validator.validate(name, manifest);
      return new AttachedPlugin(name, handshake, manifest, channel, client);
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
      throw PluginLaunchException.before("attaching to plugin " + name + " was interrupted", e);
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw PluginLaunchException.before(
          "cannot attach to plugin " + name + " at " + handshake.target() + ": " + e.getMessage(),
          e);
    }
  }

  private static Map<String, String> environment(
      LaunchOptions options, SocketDirectory socketDirectory, HostTls tls) {
    Map<String, String> environment =
        new LinkedHashMap<>(options.environmentPolicy().filter(System.getenv()));
    environment.keySet().removeAll(PROTOCOL_VARIABLES);
    environment.putAll(options.extraEnvironment());
    environment.put(options.cookieKey(), options.cookieValue());
    environment.put(
        LaunchEnvironment.PROTOCOL_VERSIONS, ProtocolVersions.format(options.protocolVersions()));
    environment.put(LaunchEnvironment.MIN_PORT, Integer.toString(options.minPort()));
    environment.put(LaunchEnvironment.MAX_PORT, Integer.toString(options.maxPort()));
    environment.put(LaunchEnvironment.HOST_PID, Long.toString(ProcessHandle.current().pid()));
    if (socketDirectory != null) {
      environment.put(LaunchEnvironment.UNIX_SOCKET_DIR, socketDirectory.path().toString());
    }
    if (tls != null) {
      environment.put(LaunchEnvironment.CLIENT_CERT, tls.certificatePem());
    }
    options
        .pluginConfigJson()
        .ifPresent(json -> environment.put(LaunchEnvironment.PLUGIN_CONFIG, json));
    return environment;
  }
}
