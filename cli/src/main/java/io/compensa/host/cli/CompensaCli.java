package io.compensa.host.cli;

import io.compensa.host.launch.PluginLauncher;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code compensa} command: describe plugins, plan, apply, inspect the state, and check a
 * plugin's conformance.
 *
 * <p>Run {@link #main} from the fat jar, or build a {@link CommandLine} with {@link
 * #commandLine(PrintWriter, PrintWriter)} to run it in-process. Not thread-safe: one command line
 * per invocation.
 */
@Command(
    name = "compensa",
    mixinStandardHelpOptions = true,
    versionProvider = CompensaVersion.class,
    description = "Launches plugins and applies plans through them, with compensation.",
    subcommands = {
      DescribeCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      GraphCommand.class,
      ReportCommand.class,
      RecoverCommand.class,
      StateCommand.class,
      SecretsCommand.class,
      QuickstartCommand.class,
      ConformanceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class CompensaCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Creates the top-level command; picocli fills it in. */
  public CompensaCli() {}

  @Option(
      names = {"-v", "--verbose"},
      description = "Log at DEBUG on stderr, including the launch protocol's steps.",
      scope = CommandLine.ScopeType.INHERIT)
  void verbose(boolean verbose) {
    if (verbose) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      System.setProperty("org.slf4j.simpleLogger.log.plugin", "debug");
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, like describe");
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    PluginLauncher.preferVforkLaunch();
    configureLogging();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(commandLine(out, err).execute(args));
  }

  /** A command line that writes results to {@code out} and errors to {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new CompensaCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(new FailureReporter());
    commandLine.setParameterExceptionHandler(new UsageErrors());
    // arguments after PLUGIN belong to the plugin, even when they look like options
    commandLine.getSubcommands().get("describe").setStopAtPositional(true);
    commandLine.getSubcommands().get("conformance").setStopAtPositional(true);
    return commandLine;
  }

  private static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    // plugins' own info lines (serving, stopped) are noise next to the progress lines; -v shows
    // them
    setIfAbsent("org.slf4j.simpleLogger.log.plugin", "warn");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
