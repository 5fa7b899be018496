package io.compensa.host.launch;

import io.compensa.host.client.CallDeadlines;
import io.compensa.host.client.CrashWatch;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginClient;
import io.compensa.host.manifest.InvalidManifestException;
import io.compensa.host.manifest.ManifestValidator;
import io.compensa.proto.v1.Manifest;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
          "PLUGIN_PROTOCOL_VERSIONS",
          "PLUGIN_MIN_PORT",
          "PLUGIN_MAX_PORT",
          "PLUGIN_UNIX_SOCKET_DIR",
          "PLUGIN_CLIENT_CERT",
          "PLUGIN_MULTIPLEX_GRPC",
          "COMPENSA_HOST_PID",
          "COMPENSA_PLUGIN_CONFIG");

  private static final Duration POLL_SLICE = Duration.ofMillis(100);
  private static final Duration LAST_OUTPUT_WAIT = Duration.ofMillis(300);
  private static final Duration MIN_HEALTH_DEADLINE = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(PluginLauncher.class);

  private final ManifestValidator validator = new ManifestValidator();

  /** Creates a launcher. */
  public PluginLauncher() {}

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
              environment(options, socketDirectory),
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
    return new Attempt(options, process).run();
  }

  /**
   * Attaches to a plugin that is already running, given the handshake line it printed: connects,
   * checks its health, and validates its manifest. The host will never stop or kill that process.
   *
   * @param name the plugin's name in logs and errors
   * @throws PluginLaunchException when the plugin does not serve or its manifest is invalid
   */
  public AttachedPlugin attach(HandshakeLine handshake, String name, CallDeadlines deadlines) {
    ManagedChannel channel = PluginConnector.open(handshake);
    try {
      PluginConnector.awaitServing(channel, handshake, MIN_HEALTH_DEADLINE);
      PluginClient client = new PluginClient(channel, name, deadlines, CrashWatch.NONE);
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
      LaunchOptions options, SocketDirectory socketDirectory) {
    Map<String, String> environment =
        new LinkedHashMap<>(options.environmentPolicy().filter(System.getenv()));
    environment.keySet().removeAll(PROTOCOL_VARIABLES);
    environment.putAll(options.extraEnvironment());
    environment.put(options.cookieKey(), options.cookieValue());
    environment.put(
        "PLUGIN_PROTOCOL_VERSIONS",
        options.protocolVersions().stream().map(String::valueOf).collect(Collectors.joining(",")));
    environment.put("PLUGIN_MIN_PORT", Integer.toString(options.minPort()));
    environment.put("PLUGIN_MAX_PORT", Integer.toString(options.maxPort()));
    environment.put("COMPENSA_HOST_PID", Long.toString(ProcessHandle.current().pid()));
    if (socketDirectory != null) {
      environment.put("PLUGIN_UNIX_SOCKET_DIR", socketDirectory.path().toString());
    }
    options.pluginConfigJson().ifPresent(json -> environment.put("COMPENSA_PLUGIN_CONFIG", json));
    return environment;
  }

  /** One launch in progress: owns the process until it is handed over or killed. */
  private final class Attempt {
    private final LaunchOptions options;
    private final PluginProcess process;
    private final Logger pluginLog;
    private final List<String> strayStdout = new ArrayList<>();
    private final long deadline;

    Attempt(LaunchOptions options, PluginProcess process) {
      this.options = options;
      this.process = process;
      this.pluginLog = LoggerFactory.getLogger("plugin." + options.name());
      this.deadline = System.nanoTime() + options.startTimeout().toNanos();
    }

    LaunchedPlugin run() {
      ManagedChannel channel = null;
      try {
        HandshakeLine handshake = awaitHandshake();
        process.stdout().handOff();
        process.rememberDescendants();
        channel = PluginConnector.open(handshake);
        ManagedChannel openChannel = channel;
        process.onUnexpectedExit(
            () -> {
              pluginLog.error(
                  "plugin {} exited unexpectedly with code {}",
                  options.name(),
                  process.exitCodeIfExited());
              openChannel.shutdownNow();
            });
        serve(channel, handshake);
        PluginClient client =
            new PluginClient(channel, options.name(), options.callDeadlines(), process);
        Manifest manifest = describe(client);
        LOG.debug(
            "plugin {} (pid {}) serves {} {} at {}",
            options.name(),
            process.pid(),
            manifest.getName(),
            manifest.getVersion(),
            handshake.target());
        return new LaunchedPlugin(
            options.name(), handshake, manifest, process, channel, client, options.gracePeriod());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail("launching plugin " + options.name() + " was interrupted", "no interruption", e);
      } catch (RuntimeException e) {
        if (channel != null) {
          channel.shutdownNow();
        }
        if (e instanceof PluginLaunchException launchFailure) {
          throw launchFailure;
        }
        throw fail("launching plugin " + options.name() + " failed: " + e, "a running plugin", e);
      }
    }

    private HandshakeLine awaitHandshake() throws InterruptedException {
      boolean stdoutEnded = false;
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw fail(
              "plugin "
                  + options.name()
                  + " printed no handshake within its start timeout of "
                  + options.startTimeout()
                  + (stdoutEnded ? " (it closed its stdout)" : ""),
              "one line " + HandshakeLine.FORMAT + " on stdout within " + options.startTimeout()
                  + " (raise the start timeout if the plugin is slow to start)",
              null);
        }
        Duration slice = Duration.ofNanos(Math.min(remaining, POLL_SLICE.toNanos()));
        String line = null;
        if (stdoutEnded) {
          Thread.sleep(slice.toMillis());
        } else {
          line = process.stdout().poll(slice);
        }
        if (line == StdoutReader.END) {
          stdoutEnded = true;
        } else if (line != null) {
          HandshakeLine handshake = consider(line);
          if (handshake != null) {
            return handshake;
          }
        } else if (!process.isAlive()) {
          // its last lines may still be on their way through the pipe
          while (!stdoutEnded && (line = process.stdout().poll(LAST_OUTPUT_WAIT)) != null) {
            if (line == StdoutReader.END) {
              stdoutEnded = true;
            } else {
              HandshakeLine handshake = consider(line);
              if (handshake != null) {
                return handshake;
              }
            }
          }
          throw fail(
              "plugin " + options.name() + " exited before printing its handshake",
              "one line "
                  + HandshakeLine.FORMAT
                  + " on stdout, from a plugin started with "
                  + options.cookieKey()
                  + " set",
              null);
        }
      }
    }

    /** The handshake in {@code line}, or {@code null} for a stray line that is reported. */
    private HandshakeLine consider(String line) {
      if (!line.contains("|")) {
        pluginLog.warn("plugin printed before its handshake: {}", line);
        strayStdout.add(line);
        return null;
      }
      try {
        return HandshakeLine.parse(line, options.protocolVersions());
      } catch (IllegalArgumentException e) {
        throw fail(
            "plugin " + options.name() + " sent an unusable handshake: " + e.getMessage(),
            HandshakeLine.FORMAT
                + " with APP one of "
                + options.protocolVersions(),
            e);
      }
    }

    private void serve(ManagedChannel channel, HandshakeLine handshake)
        throws InterruptedException {
      Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
      Duration healthDeadline =
          remaining.compareTo(MIN_HEALTH_DEADLINE) < 0 ? MIN_HEALTH_DEADLINE : remaining;
      try {
        PluginConnector.awaitServing(channel, handshake, healthDeadline);
      } catch (IllegalStateException e) {
        throw fail(
            "plugin " + options.name() + " is not serving: " + e.getMessage(),
            "grpc.health.v1.Health to report SERVING for \""
                + PluginConnector.HEALTH_SERVICE
                + "\" at "
                + handshake.target(),
            e);
      }
    }

    private Manifest describe(PluginClient client) {
      Manifest manifest;
      try {
        manifest = client.describe();
      } catch (PluginCallException e) {
        throw fail(
            "plugin " + options.name() + " could not describe itself: " + e.getMessage(),
            "PluginService.Describe to return the plugin's manifest",
            e);
      }
      try {
        validator.validate(options.name(), manifest);
      } catch (InvalidManifestException e) {
        throw fail(e.getMessage(), "a manifest the host can honour", e);
      }
      return manifest;
    }

    /** Kills the process and describes the failure with everything known about it. */
    private PluginLaunchException fail(String problem, String expected, Throwable cause) {
      Integer exitCode = process.exitCodeIfExited();
      process.stop(Duration.ZERO);
      return PluginLaunchException.after(
          problem,
          expected,
          options.command(),
          exitCode,
          process.stderrTail(),
          strayStdout,
          cause);
    }
  }
}
