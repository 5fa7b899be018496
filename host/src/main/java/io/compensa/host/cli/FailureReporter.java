package io.compensa.host.cli;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.PluginLaunchException;
import picocli.CommandLine;

/**
 * Turns a command's failure into one message on stderr and exit code 1.
 *
 * <p>The host's exceptions already say what failed and what to do, so they are printed as they
 * are; anything else is a bug, and keeps its stack trace. Stateless and thread-safe.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String command = commandLine.getCommandSpec().qualifiedName();
    if (e instanceof PluginLaunchException || e instanceof PluginCallException) {
      commandLine.getErr().println(command + ": " + e.getMessage());
    } else {
      commandLine.getErr().println(command + ": unexpected failure, please report it:");
      e.printStackTrace(commandLine.getErr());
    }
    commandLine.getErr().flush();
    return FAILURE;
  }
}
