package io.compensa.samples.localapp;

import io.compensa.sdk.DriverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts and stops the sample's services: JVMs running {@link WebApp} or {@link Front} from the
 * plugin's own jar, detached from the plugin ({@code setsid -f}), so that they outlive it and a
 * host that stops the plugin (and every process under it) leaves them running. A started service
 * announces itself by writing its registry record once it listens. Stateless and thread-safe.
 */
final class Services {
  /** How long a service may take to start listening. */
  static final Duration START = Duration.ofSeconds(20);

  /** How long a service may take to finish its requests and exit after SIGTERM. */
  static final Duration STOP = Duration.ofSeconds(5);

  private Services() {}

  /**
   * Starts {@code mainClass} with {@code args}, detached, its output in {@code log}, and waits
   * until {@code announced} returns its record.
   */
  static Registry.Service start(
      Class<?> mainClass,
      List<String> args,
      Path log,
      String what,
      Supplier<Optional<Registry.Service>> announced)
      throws DriverException {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
      command.add("-f");
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx32m",
            "-XX:-UsePerfData",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass.getName()));
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Process launcher =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      // with setsid -f the launcher exits at once and the service runs on, re-parented
      launcher.getOutputStream().close();
    } catch (IOException e) {
      throw DriverException.retryable("cannot start " + what + ": " + e.getMessage());
    }
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Registry.Service> service = announced.get();
      if (service.isPresent() && service.get().alive()) {
        return service.get();
      }
      sleep(25);
    }
    throw DriverException.retryable(
        what + " did not start listening within " + START.toSeconds() + " s: see " + log);
  }

  /** Stops {@code service}: SIGTERM, then SIGKILL after {@link #STOP}; waits until it is gone. */
  static void stop(Registry.Service service) throws DriverException {
    if (!service.alive()) {
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(service.pid());
    if (handle.isEmpty()) {
      return;
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException slow) {
      handle.get().destroyForcibly();
      try {
        handle.get().onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception stuck) {
        throw DriverException.retryable(
            "service " + service.id() + " (pid " + service.pid() + ") did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriverException.retryable("interrupted while stopping " + service.id());
    } catch (java.util.concurrent.ExecutionException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
