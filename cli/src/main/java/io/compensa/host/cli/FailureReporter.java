package io.compensa.host.cli;

import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.PluginLaunchException;
import picocli.CommandLine;

/**
 * Turns a command's failure into one message on stderr and exit code 1.
 *
 * <p>The host's exceptions already say what failed and what to do, so they are printed as they are;
 * a usage error found while running goes to {@link UsageErrors} (exit code 2); anything else is a
 * bug, and keeps its stack trace. Stateless and thread-safe.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
    String command = commandLine.getCommandSpec().qualifiedName();
    if (e instanceof CommandLine.ParameterException usage) {
      // arguments that only the command itself could check (a malformed checksum, say)
      return commandLine
          .getParameterExceptionHandler()
          .handleParseException(usage, parseResult.originalArgs().toArray(String[]::new));
    }
    if (e instanceof PluginLaunchException || e instanceof PluginCallException || isUserFacing(e)) {
      commandLine.getErr().println(command + ": " + e.getMessage());
    } else {
      commandLine.getErr().println(command + ": unexpected failure, please report it:");
      e.printStackTrace(commandLine.getErr());
    }
    commandLine.getErr().flush();
    return FAILURE;
  }

  /** The host's own checked errors, whose messages name the problem and the place. */
  private static boolean isUserFacing(Exception e) {
    return e instanceof io.compensa.host.plan.InvalidPlanException
        || e instanceof io.compensa.host.state.StateStoreException
        || e instanceof io.compensa.host.journal.JournalException
        || e instanceof io.compensa.host.config.InvalidConfigException
        || e instanceof io.compensa.host.secrets.SecretStoreException
        || e instanceof io.compensa.host.manifest.InvalidManifestException
        || e instanceof java.nio.file.NoSuchFileException
        || e instanceof java.io.IOException;
  }
}
