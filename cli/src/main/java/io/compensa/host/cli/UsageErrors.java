package io.compensa.host.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A usage error (an unknown option, a missing or malformed argument) as two lines on stderr: what
 * is wrong, and where the usage is ({@code compensa apply --help}), with exit code {@value #USAGE},
 * instead of the whole usage text. Stateless and thread-safe.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  /** The exit code of a usage error; 1 is a failure of the command itself. */
  static final int USAGE = 2;

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    PrintWriter err = command.getErr();
    err.println(name + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + name + " --help' for usage.");
    err.flush();
    return USAGE;
  }
}
