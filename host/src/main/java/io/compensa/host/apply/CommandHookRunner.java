package io.compensa.host.apply;

import com.google.protobuf.Value;
import io.compensa.host.journal.JournalException;
import io.compensa.proto.v1.ResourceOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An operator's command run after a resource is applied, such as a smoke test or a policy check.
 *
 * <p>The command gets the resource's name, type, provider id and non-sensitive outputs in its
 * environment ({@code COMPENSA_RESOURCE_NAME}, {@code COMPENSA_RESOURCE_TYPE}, {@code
 * COMPENSA_PROVIDER_ID}, {@code COMPENSA_OUTPUT_<KEY>}); a non-zero exit, or running past its
 * timeout, is a hook failure whose message carries the exit code and the last lines of output.
 *
 * <p>A hook must never run twice at once, not even when the host dies while it runs and {@code
 * recover} runs it again. So the process is started held: a shell that waits for one line on its
 * standard input before it runs the command. The host journals the process ({@link
 * HookStarts#started}), durably, and only then lets it go; a host that dies before that closes the
 * shell's input, and the shell exits without running anything. Recover ends every journaled hook
 * process still alive before it runs any hook ({@code LeftoverProcesses.endHooks}). Where
 * coreutils' {@code timeout} is installed the hook also enforces its own timeout, so that a hook
 * whose host died cannot run forever even if nobody runs recover. Immutable and thread-safe.
 */
final class CommandHookRunner {
  private static final int TAIL_LINES = 10;

  /** The line that lets a held hook run. */
  private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);

  /** The held shell's exit code when its input closed before the go line. */
  private static final int NOT_LET_RUN = 125;

  /** coreutils' {@code timeout} exit code when the command ran past its time. */
  private static final int TIMED_OUT = 124;

  /** How long past the timeout the host waits for {@code timeout} to end the hook itself. */
  private static final long GRACE_MILLIS = 7_000;

  /** coreutils' {@code timeout}, or null where it is not installed. */
  private static final String TIMEOUT_COMMAND = findTimeout();

  private final List<String> command;
  private final Duration timeout;

  /** A hook that runs {@code command} and allows it {@code timeout}. */
  CommandHookRunner(List<String> command, Duration timeout) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a command hook needs a command");
    }
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  /** The hook a plan declares; a zero timeout means the default of 60 seconds. */
  static CommandHookRunner of(io.compensa.proto.v1.CommandHook declared) {
    int seconds = declared.getTimeoutSeconds() == 0 ? 60 : declared.getTimeoutSeconds();
    return new CommandHookRunner(declared.getCommandList(), Duration.ofSeconds(seconds));
  }

  /** Where the host learns of a hook process before letting it run. */
  interface HookStarts {
    /**
     * The hook's process started, held; returns once that is durable.
     *
     * @throws JournalException when it cannot be made durable: the hook is not let run
     */
    void started(List<String> command, ProcessHandle process, int timeoutSeconds)
        throws JournalException;
  }

  /** Runs the command for {@code context}, throwing when it fails. */
  void run(HookContext context, java.nio.file.Path directory, HookStarts starts) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(held()).redirectErrorStream(true).directory(directory.toFile());
    Map<String, String> env = builder.environment();
    env.put("COMPENSA_RESOURCE_NAME", context.action().getResource().getName());
    env.put("COMPENSA_RESOURCE_TYPE", context.action().getResource().getType());
    env.put(
        "COMPENSA_ACTION_KIND",
        context.action().getKind().name().substring("ACTION_KIND_".length()));
    if (context.output().isPresent()) {
      ResourceOutput output = context.output().get();
      env.put("COMPENSA_PROVIDER_ID", output.getProviderId());
      for (Map.Entry<String, Value> field : output.getOutputs().getFieldsMap().entrySet()) {
        env.put(
            "COMPENSA_OUTPUT_"
                + field.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
            render(field.getValue()));
      }
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new Exception("command hook " + command + " could not start: " + e.getMessage(), e);
    }
    try {
      starts.started(command, process.toHandle(), (int) timeout.toSeconds());
    } catch (JournalException e) {
      process.getOutputStream().close(); // the held shell exits without running the command
      process.waitFor(5, TimeUnit.SECONDS);
      process.destroyForcibly();
      throw new Exception("command hook " + command + " was not run: " + e.getMessage(), e);
    }
    try (OutputStream go = process.getOutputStream()) {
      go.write(GO);
    } catch (IOException e) {
      // the shell is gone already: its exit code tells
    }
    CrashPoints.reach(CrashPoints.HOOK_RUNNING, String.join(" ", command));
    List<String> tail = new ArrayList<>();
    Thread reader = new Thread(() -> readTail(process, tail), "command-hook-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new Exception(
          "command hook " + command + " did not finish within " + timeout.toSeconds() + " s");
    }
    reader.join(1000);
    int exit = process.exitValue();
    if (exit == TIMED_OUT && TIMEOUT_COMMAND != null) {
      throw new Exception(
          "command hook " + command + " did not finish within " + timeout.toSeconds() + " s");
    }
    if (exit != 0) {
      String output;
      synchronized (tail) {
        output = String.join("\n", tail);
      }
      throw new Exception(
          "command hook "
              + command
              + " exited with "
              + exit
              + (output.isEmpty() ? "" : ": " + output));
    }
  }

  /**
   * The command behind a shell that waits for the host's go line: {@code sh -c 'read -r go || exit
   * 125; exec [timeout -k 5 SECONDS] "$@"' compensa-hook COMMAND...}.
   */
  private List<String> held() {
    List<String> line = new ArrayList<>();
    line.add("/bin/sh");
    line.add("-c");
    line.add("read -r go || exit " + NOT_LET_RUN + "; exec \"$@\"");
    line.add("compensa-hook");
    if (TIMEOUT_COMMAND != null) {
      line.add(TIMEOUT_COMMAND);
      line.add("-k");
      line.add("5");
      line.add(Long.toString(Math.max(1, timeout.toSeconds())));
    }
    line.addAll(command);
    return line;
  }

  private static String findTimeout() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "timeout"))) {
        return dir + "/timeout";
      }
    }
    return null;
  }

  private static void readTail(Process process, List<String> tail) {
    try (var in = process.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (tail) {
          tail.add(line.length() > 500 ? line.substring(0, 500) + "..." : line);
          if (tail.size() > TAIL_LINES) {
            tail.remove(0);
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended; what was read is enough for the message
    }
  }

  private static String render(Value value) {
    switch (value.getKindCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case NUMBER_VALUE:
        double d = value.getNumberValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15
            ? Long.toString((long) d)
            : Double.toString(d);
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case NULL_VALUE:
        return "";
      default:
        return value.toString();
    }
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }
}
