package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line main builds for one run holds only the command the arguments name, and says and
 * parses exactly what the command line with every command does.
 */
class OneCommandLineTest {
  private static final List<String> COMMANDS =
      List.of(
          "describe",
          "plan",
          "apply",
          "graph",
          "report",
          "recover",
          "state",
          "secrets",
          "quickstart",
          "conformance");

  @Test
  void theCommandIsTheFirstArgumentThatIsNoTopLevelOption() {
    assertThat(CompensaCli.commandNamed(new String[] {"state", "list"})).isEqualTo("state");
    assertThat(CompensaCli.commandNamed(new String[] {"-v", "describe", "x"}))
        .isEqualTo("describe");
    assertThat(CompensaCli.commandNamed(new String[] {"--verbose", "help", "plan"}))
        .isEqualTo("help");
    assertThat(CompensaCli.commandNamed(new String[] {"stat", "list"})).isNull();
    assertThat(CompensaCli.commandNamed(new String[] {"--help"})).isNull();
    assertThat(CompensaCli.commandNamed(new String[] {})).isNull();
  }

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    CommandLine line = build("state", "list");

    assertThat(line.getSubcommands().keySet()).containsExactly("state");
    assertThat(line.getSubcommands().get("state").getSubcommands().keySet())
        .containsExactly("list", "show", "migrate");
  }

  @Test
  void helpAMisspeltCommandOrNoneBuildsThemAll() {
    for (String[] args :
        List.of(new String[] {"help"}, new String[] {"stat"}, new String[] {"--version"})) {
      assertThat(build(args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsAll(COMMANDS)
          .contains("help");
    }
  }

  @Test
  void eachCommandsHelpIsTheSameBuiltAloneAsAmongAll() {
    for (String command : COMMANDS) {
      String[] args = {command, "--help"};
      assertThat(output(build(args), args))
          .as(command)
          .isEqualTo(output(all(), args))
          .contains("Usage: compensa " + command);
    }
  }

  @Test
  void usageErrorsAndInheritedOptionsAreTheSameBuiltAlone() {
    for (String[] args :
        List.of(
            new String[] {"apply", "--on-failure", "maybe", "plan.json"},
            new String[] {"state", "lsit"},
            new String[] {"describe"},
            new String[] {"-v", "state", "list", "--help"})) {
      assertThat(output(build(args), args))
          .as(String.join(" ", args))
          .isEqualTo(output(all(), args));
    }
  }

  @Test
  void describesPluginArgumentsStillStopAtThePlugin() {
    CommandLine line = build("describe", "./plugin", "--json");

    assertThat(line.getSubcommands().get("describe").isStopAtPositional()).isTrue();
  }

  private static CommandLine build(String... args) {
    return CompensaCli.commandLine(
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
  }

  private static CommandLine all() {
    return CompensaCli.commandLine(
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  /** What a run of {@code args} prints, out and err, and its exit code. */
  private static String output(CommandLine line, String[] args) {
    // the builders' own writers are replaced: the same line is built twice with fresh ones
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return "exit " + exit + "\nout:\n" + out + "err:\n" + err;
  }
}
