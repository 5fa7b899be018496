package io.compensa.host.conformance;

import io.compensa.host.launch.LaunchOptions;
import io.compensa.protocol.LaunchEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the plugin without the magic cookie, as a person running it by hand would, and expects it
 * to say on stderr that it is a plugin and exit non-zero, without serving. Stateless.
 */
final class CookieCheck {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private CookieCheck() {}

  static void run(LaunchOptions options, CheckLog log) {
    ProcessBuilder builder =
        new ProcessBuilder(options.command()).directory(options.workingDirectory().toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(options.environmentPolicy().filter(System.getenv()));
    environment.putAll(options.extraEnvironment());
    environment.remove(options.cookieKey());
    options
        .pluginConfigJson()
        .ifPresent(json -> environment.put(LaunchEnvironment.PLUGIN_CONFIG, json));
    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      log.fail("cookie", null, "cannot start " + options.command().get(0) + ": " + e.getMessage());
      return;
    }
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(() -> text(process.getInputStream()));
    try {
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.fail(
            "cookie",
            null,
            "started without "
                + options.cookieKey()
                + ", the plugin was still"
                + " running after "
                + EXIT_WAIT
                + ": it must print a sentence for a human on stderr and"
                + " exit non-zero");
        return;
      }
      int exit = process.exitValue();
      String said = stderr.get(5, TimeUnit.SECONDS).strip();
      String printed = stdout.get(5, TimeUnit.SECONDS).strip();
      if (exit == 0) {
        log.fail(
            "cookie",
            null,
            "started without "
                + options.cookieKey()
                + ", the plugin exited"
                + " with 0; it must exit non-zero");
      } else if (said.isEmpty()) {
        log.fail(
            "cookie",
            null,
            "started without "
                + options.cookieKey()
                + ", the plugin exited"
                + " with "
                + exit
                + " but said nothing on stderr; it must say it is a plugin");
      } else if (printed.contains("|grpc")) {
        log.fail(
            "cookie",
            null,
            "started without "
                + options.cookieKey()
                + ", the plugin printed"
                + " a handshake line anyway: "
                + printed);
      } else {
        log.pass(
            "cookie",
            null,
            "without the cookie it exited with "
                + exit
                + " and said: "
                + said.lines().findFirst().orElse(""));
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.fail("cookie", null, "could not watch the plugin started without its cookie: " + e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static String text(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
