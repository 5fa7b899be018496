package io.compensa.host.cli;

import io.compensa.host.launch.PluginLauncher;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    description = "Launches plugins and applies plans through them, with compensation.")
public final class CompensaCli implements Runnable {
  /**
   * The commands, by name, in the order help lists them. They are added to the command line in code
   * rather than in the annotation so that a run of one command builds only that command's model:
   * picocli reflects over every class it is given, and each command's model costs a few
   * milliseconds of an interpreted start.
   */
  private static final Map<String, Class<?>> COMMANDS = commands();

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
    System.exit(run(args));
  }

  /** Runs the command line as {@link #main} does, without exiting: its exit code. */
  static int run(String[] args) {
    prepareProcess();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    return commandLine(out, err, args).execute(args);
  }

  /** A command line that writes results to {@code out} and errors to {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, COMMANDS.keySet());
  }

  /**
   * A command line for {@code args}: with only the command they name when they name one (what is
   * printed and parsed is the same, and the other commands' models are never built), otherwise with
   * every command, as for {@code compensa --help}, {@code help} or a misspelt command.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    String named = commandNamed(args);
    return commandLine(
        out, err, named == null || named.equals("help") ? COMMANDS.keySet() : Set.of(named));
  }

  /**
   * The command {@code args} name, the first argument that is not an option of the top-level
   * command (all of which take no value), or null when there is none or it is no command's name.
   */
  static String commandNamed(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return COMMANDS.containsKey(arg) ? arg : null;
      }
    }
    return null;
  }

  private static CommandLine commandLine(PrintWriter out, PrintWriter err, Set<String> names) {
    CommandLine commandLine = new CommandLine(new CompensaCli());
    for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
      if (names.contains(command.getKey())) {
        commandLine.addSubcommand(command.getKey(), command.getValue());
      }
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(new FailureReporter());
    commandLine.setParameterExceptionHandler(new UsageErrors());
    // arguments after PLUGIN belong to the plugin, even when they look like options
    for (String name : List.of("describe", "conformance")) {
      CommandLine command = commandLine.getSubcommands().get(name);
      if (command != null) {
        command.setStopAtPositional(true);
      }
    }
    return commandLine;
  }

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("describe", DescribeCommand.class);
    commands.put("plan", PlanCommand.class);
    commands.put("apply", ApplyCommand.class);
    commands.put("graph", GraphCommand.class);
    commands.put("report", ReportCommand.class);
    commands.put("recover", RecoverCommand.class);
    commands.put("state", StateCommand.class);
    commands.put("secrets", SecretsCommand.class);
    commands.put("quickstart", QuickstartCommand.class);
    commands.put("conformance", ConformanceCommand.class);
    commands.put("help", CommandLine.HelpCommand.class);
    return commands;
  }

  /** What {@link #main} sets up before any command: the process launch mechanism and logging. */
  static void prepareProcess() {
    PluginLauncher.preferVforkLaunch();
    configureLogging();
  }

  private static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    // plugins' own info lines (serving, stopped) are noise next to the progress lines; -v shows
    // them
    setIfAbsent("org.slf4j.simpleLogger.log.plugin", "warn");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    // Netty's buffer events for Flight Recorder: with them on, a launch loads ~50 classes of
    // JFR's and Netty's for events no CLI run records
    setIfAbsent("io.grpc.netty.shaded.io.netty.jfr.enabled", "false");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
