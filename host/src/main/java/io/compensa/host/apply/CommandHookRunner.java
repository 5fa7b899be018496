package io.compensa.host.apply;

import com.google.protobuf.Value;
import io.compensa.proto.v1.ResourceOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Immutable and thread-safe.
 */
final class CommandHookRunner {
  private static final int TAIL_LINES = 10;

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

  /** Runs the command for {@code context}, throwing when it fails. */
  void run(HookContext context, java.nio.file.Path directory) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
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
    process.getOutputStream().close();
    List<String> tail = new ArrayList<>();
    Thread reader = new Thread(() -> readTail(process, tail), "command-hook-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new Exception(
          "command hook " + command + " did not finish within " + timeout.toSeconds() + " s");
    }
    reader.join(1000);
    int exit = process.exitValue();
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
