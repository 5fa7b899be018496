package io.compensa.host.conformance;

import io.compensa.host.launch.LaunchOptions;
import io.compensa.protocol.LaunchEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a plugin process must do on its own (docs/protocol.md, sections 1 and 5), checked on a
 * plugin started under a stand-in host: a shell that starts the plugin as its child, with {@code
 * COMPENSA_HOST_PID} naming the shell, then waits. {@code sigint}: a SIGINT sent to the plugin (as
 * a Ctrl-C in the host's terminal would) must not stop it. {@code orphan-guard}: when the stand-in
 * host is killed, the plugin must notice (by COMPENSA_HOST_PID or by its parent) and exit. Needs
 * {@code /bin/sh} and {@code kill}, as on every Unix the host runs on. Stateless.
 */
final class ProcessChecks {
  private static final Duration SIGINT_WAIT = Duration.ofSeconds(1);
  private static final Duration ORPHAN_WAIT = Duration.ofSeconds(10);
  private static final Pattern PID_LINE =
      Pattern.compile("^compensa-conformance-plugin-pid (\\d+)$");

  /**
   * The stand-in host: exports its own pid as the host's, starts the plugin, says its pid, waits.
   */
  private static final String STAND_IN =
      LaunchEnvironment.HOST_PID
          + "=$$; export "
          + LaunchEnvironment.HOST_PID
          + "; \"$@\" & echo \"compensa-conformance-plugin-pid $!\" >&2; wait";

  private ProcessChecks() {}

  static void run(LaunchOptions options, CheckLog log) {
    Path socketDir = null;
    Process host = null;
    Optional<ProcessHandle> plugin = Optional.empty();
    try {
      socketDir =
          Files.createTempDirectory(
              "cpc",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", STAND_IN, "sh"));
      command.addAll(options.command());
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(options.workingDirectory().toFile());
      Map<String, String> environment = builder.environment();
      environment.clear();
      environment.putAll(options.environmentPolicy().filter(System.getenv()));
      environment.putAll(options.extraEnvironment());
      environment.put(options.cookieKey(), options.cookieValue());
      environment.put(
          LaunchEnvironment.PROTOCOL_VERSIONS,
          options.protocolVersions().stream()
              .map(String::valueOf)
              .collect(Collectors.joining(",")));
      environment.put(LaunchEnvironment.UNIX_SOCKET_DIR, socketDir.toString());
      options
          .pluginConfigJson()
          .ifPresent(json -> environment.put(LaunchEnvironment.PLUGIN_CONFIG, json));
      host = builder.start();
      host.getOutputStream().close();
      Process started = host;
      CompletableFuture<Long> pid = CompletableFuture.supplyAsync(() -> pluginPid(started));
      CompletableFuture<String> handshake = CompletableFuture.supplyAsync(() -> firstLine(started));
      long pluginPid;
      String line;
      try {
        pluginPid = pid.get(10, TimeUnit.SECONDS);
        line = handshake.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.fail(
            "sigint",
            null,
            "the plugin, started under a stand-in host, gave no handshake line within "
                + options.startTimeout());
        log.skip("orphan-guard", null, "the plugin did not start under the stand-in host");
        return;
      }
      plugin = ProcessHandle.of(pluginPid);
      if (line == null || !line.contains("|grpc")) {
        log.fail(
            "sigint",
            null,
            "the plugin, started under a stand-in host, did not answer with a handshake line: "
                + line);
        log.skip("orphan-guard", null, "the plugin did not start under the stand-in host");
        return;
      }
      checkSigint(pluginPid, log);
      if (ProcessHandle.of(pluginPid).map(ProcessHandle::isAlive).orElse(false)) {
        checkOrphanGuard(host, pluginPid, log);
      } else {
        log.skip("orphan-guard", null, "the plugin was already gone after SIGINT");
      }
    } catch (IOException e) {
      log.fail("sigint", null, "cannot start the plugin under a stand-in host: " + e.getMessage());
      log.skip("orphan-guard", null, "the plugin did not start under the stand-in host");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.fail("orphan-guard", null, "interrupted");
    } finally {
      plugin.ifPresent(ProcessHandle::destroyForcibly);
      if (host != null) {
        host.destroyForcibly();
      }
      if (socketDir != null) {
        deleteQuietly(socketDir);
      }
    }
  }

  private static void checkSigint(long pid, CheckLog log) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      log.fail("sigint", null, "could not send SIGINT to the plugin (pid " + pid + ") with kill");
      return;
    }
    Thread.sleep(SIGINT_WAIT.toMillis());
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      log.pass("sigint", null, "still running " + SIGINT_WAIT.toSeconds() + " s after a SIGINT");
    } else {
      log.fail(
          "sigint",
          null,
          "the plugin exited on SIGINT: ignore it, as go-plugin plugins do (a Ctrl-C in the host's"
              + " terminal reaches the plugin too, and the host decides when the plugin stops)");
    }
  }

  private static void checkOrphanGuard(Process host, long pid, CheckLog log)
      throws InterruptedException {
    host.destroyForcibly();
    host.waitFor(5, TimeUnit.SECONDS);
    long killed = System.nanoTime();
    long deadline = killed + ORPHAN_WAIT.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      log.fail(
          "orphan-guard",
          null,
          "still running "
              + ORPHAN_WAIT.toSeconds()
              + " s after its host died: watch "
              + LaunchEnvironment.HOST_PID
              + " (or your parent process) and exit when it is gone");
    } else {
      log.pass(
          "orphan-guard",
          null,
          "exited "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
              + " ms after its host was killed");
    }
  }

  /** The plugin's pid, from the stand-in's stderr line; the rest of stderr is drained. */
  private static long pluginPid(Process host) {
    BufferedReader stderr =
        new BufferedReader(new InputStreamReader(host.getErrorStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = stderr.readLine()) != null) {
        Matcher matcher = PID_LINE.matcher(line.strip());
        if (matcher.matches()) {
          long pid = Long.parseLong(matcher.group(1));
          drain(stderr);
          return pid;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("the stand-in host never said the plugin's pid");
  }

  private static String firstLine(Process host) {
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line = stdout.readLine();
      drain(stdout);
      return line;
    } catch (IOException e) {
      return null;
    }
  }

  /** Keeps reading on a daemon thread, so the plugin never blocks on a full pipe. */
  private static void drain(BufferedReader reader) {
    Thread thread =
        new Thread(
            () -> {
              try (reader) {
                while (reader.readLine() != null) {
                  // discarded
                }
              } catch (IOException ignored) {
                // the plugin is gone
              }
            },
            "conformance-drain");
    thread.setDaemon(true);
    thread.start();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it up eventually
    }
  }
}
