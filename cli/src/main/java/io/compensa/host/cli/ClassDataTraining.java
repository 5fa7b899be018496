package io.compensa.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's training run, made at build time ({@code mvn package} of the cli module, after the fat
 * jar): one JVM started with {@code -XX:ArchiveClassesAtExit} runs the commands an operator runs
 * every day (the quickstart's plan and apply, describe, plan, apply, state, graph, report, help) in
 * a scratch folder, so the archive holds the classes they load; {@code bin/compensa} then maps it
 * at start-up instead of loading those classes one by one.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=target/compensa.jsa OPTIONS -cp target/compensa.jar
 * io.compensa.host.cli.ClassDataTraining SCRATCH JDK_RECORD [LOCALFS]}. When every step did what it
 * should, it writes the home of the JDK that runs it into JDK_RECORD ({@code compensa.jdk}), and
 * {@code bin/compensa} maps the archive only when the java it runs is that JDK. A step that fails
 * leaves no record, so the CLI starts the slow way; the build goes on. Without the localfs plugin's
 * launcher (LOCALFS), it trains the commands that launch no plugin. Not part of the CLI's API.
 */
public final class ClassDataTraining {
  private ClassDataTraining() {}

  /** Runs the training; exits 0 whether or not it succeeded (a failed one writes no record). */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println(
          "usage: ClassDataTraining SCRATCH_DIR JDK_RECORD [LOCALFS_LAUNCHER]"
              + " (run by the cli module's build under -XX:ArchiveClassesAtExit)");
      System.exit(2);
    }
    Path scratch = Path.of(args[0]).toAbsolutePath().normalize();
    Path record = Path.of(args[1]).toAbsolutePath().normalize();
    Path localfs = args.length == 3 ? Path.of(args[2]).toAbsolutePath().normalize() : null;
    Files.deleteIfExists(record);
    // the steps' log lines go to a file, as their output does: the classes are those of a real
    // run, and the build's output stays quiet
    Files.createDirectories(scratch);
    System.setProperty(
        "org.slf4j.simpleLogger.logFile", scratch.resolve("training.log").toString());
    CompensaCli.prepareProcess();
    List<String> failures = train(scratch, localfs);
    if (failures.isEmpty()) {
      Files.writeString(record, System.getProperty("java.home") + "\n", StandardCharsets.UTF_8);
      System.out.println(
          "compensa CLI training: done"
              + (localfs == null || !Files.isExecutable(localfs)
                  ? " without a plugin (no executable "
                      + localfs
                      + "): describe, plan and apply"
                      + " load their classes the slow way"
                  : "")
              + "; the class-data archive is written at exit");
    } else {
      System.err.println(
          "compensa CLI training failed, so bin/compensa will not use its class-data archive and"
              + " the CLI starts the slow way (correct, only slower); see "
              + scratch.resolve("training.log")
              + ":\n  "
              + String.join("\n  ", failures));
    }
    System.exit(0);
  }

  /** Runs every step in {@code scratch}; what went wrong, one line per failed step. */
  static List<String> train(Path scratch, Path localfs) throws IOException {
    Files.createDirectories(scratch);
    List<String> failures = new ArrayList<>();
    step(failures, 0, "--help");
    step(failures, 0, "--version");
    if (localfs == null || !Files.isExecutable(localfs)) {
      Path config = scratch.resolve("no-plugin.json");
      Files.writeString(
          config,
          "{\"state\": \"no-plugin-state.json\", \"plugins\": {}}\n",
          StandardCharsets.UTF_8);
      step(failures, 0, "state", "list", "--config", config.toString());
      step(failures, 0, "state", "list", "--json", "--config", config.toString());
      return failures;
    }
    Path quickstart = scratch.resolve("quickstart");
    String config = quickstart.resolve("compensa.json").toString();
    // plans and applies twice (the second apply's smoke test fails and is compensated), and
    // writes both reports
    step(
        failures, 0, "quickstart", "--dir", quickstart.toString(), "--localfs", localfs.toString());
    step(failures, 0, "describe", localfs.toString());
    step(failures, 0, "describe", "--json", localfs.toString());
    step(failures, 0, "state", "list", "--config", config);
    step(failures, 0, "state", "list", "--json", "--config", config);
    step(failures, 0, "state", "show", "--config", config, "index");
    String plan = scratch.resolve("plan.json").toString();
    step(
        failures,
        0,
        "plan",
        "--config",
        config,
        "-o",
        plan,
        quickstart.resolve("resources-v2.json").toString());
    step(
        failures,
        0,
        "plan",
        "--json",
        "--config",
        config,
        "-o",
        plan,
        quickstart.resolve("resources-v2.json").toString());
    step(failures, 0, "graph", plan);
    step(failures, 0, "graph", "--format", "mermaid", plan);
    // the smoke test fails again: COMPENSATED, exit 1
    step(failures, 1, "apply", "--config", config, plan);
    step(
        failures, 0, "report", "--config", config, "-o", scratch.resolve("report.html").toString());
    return failures;
  }

  /**
   * Runs the command line {@code args} in this JVM; records a failure unless it exited {@code
   * expected}.
   */
  private static void step(List<String> failures, int expected, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      code =
          CompensaCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args)
              .execute(args);
    } catch (RuntimeException e) {
      failures.add("compensa " + String.join(" ", args) + " threw " + e);
      return;
    }
    if (code != expected) {
      failures.add(
          "compensa "
              + String.join(" ", args)
              + " exited "
              + code
              + " (expected "
              + expected
              + "): "
              + err.toString().strip());
    }
  }
}
