package io.compensa.host.launch;

import com.google.common.util.concurrent.MoreExecutors;
import io.compensa.host.client.PluginCall;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginClient;
import io.compensa.host.manifest.InvalidManifestException;
import io.compensa.host.manifest.ManifestValidator;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DescribeResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.protocol.HandshakeLine;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One launch in progress, from the started process to a validated {@link LaunchedPlugin}.
 *
 * <p>Owns the process until it hands it over: waits for the handshake under the start timeout
 * (reporting stray stdout lines), connects, checks health and describes (both requests sent at
 * once), and validates. On any failure it kills the process and throws a {@link
 * PluginLaunchException} with everything known. Not thread-safe: one thread runs one attempt.
 */
final class LaunchAttempt {
  private static final Duration POLL_SLICE = Duration.ofMillis(100);
  private static final Duration LAST_OUTPUT_WAIT = Duration.ofMillis(300);

  /** The shortest deadline a health check gets, even when the start timeout is nearly spent. */
  static final Duration MIN_HEALTH_DEADLINE = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(PluginLauncher.class);

  private final LaunchOptions options;
  private final PluginProcess process;
  private final ManifestValidator validator;
  private final Logger pluginLog;
  private final List<String> strayStdout = new ArrayList<>();
  private final long deadline;
  private final HostTls tls;

  /**
   * @param tls the host's AutoMTLS certificate, or {@code null} without AutoMTLS
   */
  LaunchAttempt(
      LaunchOptions options, PluginProcess process, ManifestValidator validator, HostTls tls) {
    this.tls = tls;
    this.options = options;
    this.process = process;
    this.validator = validator;
    this.pluginLog = LoggerFactory.getLogger("plugin." + options.name());
    this.deadline = System.nanoTime() + options.startTimeout().toNanos();
  }

  LaunchedPlugin run() {
    ManagedChannel channel = null;
    try {
      // built while the plugin starts, so that after the handshake it only has to connect
      PluginConnector.PendingChannel pending =
          options.transport() == LaunchOptions.Transport.UNIX && tls == null
              ? PluginConnector.openBeforeHandshake(options.maxInboundMessageBytes())
              : null;
      if (pending != null) {
        channel = pending.channel();
      }
      HandshakeLine handshake = awaitHandshake();
      process.stdout().handOff();
      if (pending != null && pending.serves(handshake)) {
        pending.connect(handshake);
      } else {
        if (channel != null) {
          channel.shutdownNow();
        }
        channel = PluginConnector.open(handshake, tls, options.maxInboundMessageBytes());
      }
      // first, so that a go-plugin plugin's output never fills the pipes only this stream drains
      PluginStdio.open(channel, options.name());
      // Describe goes out with the health check instead of after it: both ride the one connection,
      // so a launch waits for one round trip, not two. Its answer counts only once health says
      // SERVING; any failure of this early call is left to the ordinary Describe below to report.
      // Its answer is taken on the transport's thread, as the health check's.
      Future<DescribeResponse> earlyDescribe =
          PluginServiceGrpc.newFutureStub(channel)
              .withExecutor(MoreExecutors.directExecutor())
              .withDeadlineAfter(
                  options.callDeadlines().forCall(PluginCall.DESCRIBE).toMillis(),
                  TimeUnit.MILLISECONDS)
              .describe(
                  DescribeRequest.newBuilder()
                      .setHostContractVersion(PluginClient.CONTRACT_VERSION)
                      .build());
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
          new PluginClient(
              channel,
              options.name(),
              options.callDeadlines(),
              process,
              options.maxInboundMessageBytes());
      Manifest manifest = describe(client, earlyDescribe);
      // the one connection is made and serving: its socket needs no name in the file system now
      process.connectedInBackground();
      log.debug(
          "plugin {} (pid {}) serves {} {} at {}",
          options.name(),
          process.pid(),
          manifest.getName(),
          manifest.getVersion(),
          handshake.target());
      LaunchedPlugin launched =
          new LaunchedPlugin(
              options.name(), handshake, manifest, process, channel, client, options.gracePeriod());
      return launched;
    } catch (InterruptedException e) {
      if (channel != null) {
        channel.shutdownNow();
      }
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
            "one line "
                + HandshakeLine.FORMAT
                + " on stdout within "
                + options.startTimeout()
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
                + " on stdout; the plugin's stderr below usually says why it exited",
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
      return HandshakeLine.parse(line, options.protocolVersions(), tls != null);
    } catch (IllegalArgumentException e) {
      throw fail(
          "plugin " + options.name() + " sent an unusable handshake: " + e.getMessage(),
          HandshakeLine.FORMAT
              + " with APP one of "
              + options.protocolVersions()
              + (tls != null ? " and a sixth field, CERT, under AutoMTLS" : ""),
          e);
    }
  }

  private void serve(ManagedChannel channel, HandshakeLine handshake) throws InterruptedException {
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

  private Manifest describe(PluginClient client, Future<DescribeResponse> early)
      throws InterruptedException {
    Manifest manifest;
    try {
      manifest = early.get().getManifest();
    } catch (ExecutionException e) {
      if (Status.fromThrowable(e.getCause()).getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw fail(
            "plugin "
                + options.name()
                + " could not describe itself: Describe did not answer"
                + " within its deadline of "
                + options.callDeadlines().forCall(PluginCall.DESCRIBE),
            "PluginService.Describe to return the plugin's manifest",
            e.getCause());
      }
      manifest = null; // asked again below, where a failure is reported as any call's
    }
    try {
      if (manifest == null) {
        manifest = client.describe();
      }
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
        problem, expected, options.command(), exitCode, process.stderrTail(), strayStdout, cause);
  }
}
