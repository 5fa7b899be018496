package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link TinyPlugin} as a real child process, the way a host does, and collects what it
 * writes. Closing it kills the process if it still runs.
 */
final class PluginUnderTest implements AutoCloseable {

  static final String COOKIE_KEY = CompensaPlugin.DEFAULT_MAGIC_COOKIE_KEY;
  static final String COOKIE_VALUE = CompensaPlugin.DEFAULT_MAGIC_COOKIE_VALUE;

  private final Process process;
  private final CompletableFuture<String> firstStdoutLine = new CompletableFuture<>();
  private final List<String> stdoutLines = new ArrayList<>();
  private final List<String> stderrLines = new ArrayList<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private PluginUnderTest(Process process) {
    this.process = process;
    this.stdoutReader = reader(process.getInputStream(), stdoutLines, true);
    this.stderrReader = reader(process.getErrorStream(), stderrLines, false);
  }

  /** Starts the tiny plugin with exactly the given environment added to a minimal one. */
  static PluginUnderTest start(Map<String, String> env) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), TinyPlugin.class.getName());
    builder.environment().remove(COOKIE_KEY);
    builder
        .environment()
        .keySet()
        .removeIf(key -> key.startsWith("PLUGIN_") || key.startsWith("COMPENSA_"));
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new PluginUnderTest(builder.start());
  }

  private Thread reader(java.io.InputStream stream, List<String> lines, boolean stdout) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  if (stdout) {
                    firstStdoutLine.complete(line);
                  }
                }
              } catch (IOException closed) {
                // the process is gone
              } finally {
                if (stdout) {
                  firstStdoutLine.complete(null);
                }
              }
            },
            stdout ? "plugin-stdout" : "plugin-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Returns the handshake line, failing the test if none comes within 30 s. */
  String handshake() throws Exception {
    String line = firstStdoutLine.get(30, TimeUnit.SECONDS);
    assertThat(line).as("handshake line; stderr was %s", stderr()).isNotNull();
    return line;
  }

  /** Waits for the process to end and returns its exit status, failing after {@code seconds}. */
  int awaitExit(long seconds) throws Exception {
    assertThat(process.waitFor(seconds, TimeUnit.SECONDS))
        .as("the plugin exits within %d s; stderr was %s", seconds, stderr())
        .isTrue();
    stdoutReader.join(5000);
    stderrReader.join(5000);
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdout() {
    synchronized (stdoutLines) {
      return List.copyOf(stdoutLines);
    }
  }

  List<String> stderr() {
    synchronized (stderrLines) {
      return List.copyOf(stderrLines);
    }
  }

  /** Kills the process if it still runs and waits for it to end. */
  void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
        stdoutReader.join(5000);
        stderrReader.join(5000);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    kill();
  }
}
