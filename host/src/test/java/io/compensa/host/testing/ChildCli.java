package io.compensa.host.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code compensa} as an operator does: a child JVM on the test class path (which holds the
 * CLI when the test's module depends on it), in a working directory, with extra environment
 * variables, its stdout and stderr together in a log file. For tests whose subject is the process
 * (environment variables, exit codes, several hosts at once).
 */
public final class ChildCli {
  /** The CLI's main class. */
  public static final String MAIN_CLASS = "io.compensa.host.cli.CompensaCli";

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private final Path directory;
  private final Map<String, String> environment;

  /** A runner in {@code directory} with {@code environment} added to the test's own. */
  public ChildCli(Path directory, Map<String, String> environment) {
    this.directory = directory;
    this.environment = Map.copyOf(environment);
  }

  /** What one command did. */
  public record Result(int exitCode, String output) {}

  /**
   * Starts {@code compensa ARGS}, writing its output to {@code log}; the caller waits for it (see
   * {@link #finish}).
   */
  public Process start(Path log, String... args) throws java.io.IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                LocalFs.java(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                MAIN_CLASS));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(directory.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /**
   * Waits up to two minutes for {@code process}, started with {@link #start}, and returns its exit
   * code and output; kills it and fails when it does not finish.
   */
  public static Result finish(Process process, Path log, String what) throws Exception {
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(what + " did not finish in " + DEADLINE.toSeconds() + " s");
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Runs {@code compensa ARGS} to its end; its output goes to {@code cli.log} in the directory. */
  public Result run(String... args) throws Exception {
    Path log = directory.resolve("cli.log");
    return finish(start(log, args), log, "compensa " + String.join(" ", args));
  }
}
