package io.compensa.host.cli;

import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.plan.DesiredResourcesReader;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.plan.Planner;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code compensa quickstart}: a guided run on embedded defaults. It writes a configuration for the
 * localfs sample, plans and applies three resources, then applies a change whose smoke test fails,
 * so the newcomer sees the action COMPENSATED and the file put back.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    subcommands = QuickstartDeployCommand.class,
    description =
        "Plan and apply localfs resources in a scratch folder, then watch a failed smoke test get compensated.")
final class QuickstartCommand implements Callable<Integer> {
  private static final String MARKER = ".compensa-quickstart";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "compensa-quickstart",
      description = "The scratch folder (made afresh each run); default ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--localfs",
      paramLabel = "PATH",
      description =
          "The localfs plugin's launcher; default: sample-plugins/localfs/bin/compensa-localfs in this checkout.")
  Path localfs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path plugin =
        (localfs != null ? localfs : home().resolve("sample-plugins/localfs/bin/compensa-localfs"))
            .toAbsolutePath()
            .normalize();
    if (!Files.isExecutable(plugin)) {
      err.println(
          "quickstart: the localfs plugin "
              + plugin
              + " is missing or not executable: build it with"
              + " `mvn -q install -DskipTests`, or pass --localfs PATH");
      return FailureReporter.FAILURE;
    }
    Path work = prepare(dir.toAbsolutePath().normalize());
    write(
        work.resolve("compensa.json"),
        "{\n  \"state\": \"compensa-state.json\",\n  \"secrets\": \"compensa-secrets.json\",\n"
            + "  \"plugins\": {\n    \"localfs\": {\"command\": [\""
            + plugin
            + "\"], \"config\": {\"root\": \"world\"}}\n  }\n}\n");
    write(
        work.resolve("resources.json"),
        "{\"resources\": [\n"
            + "  {\"name\": \"site\", \"type\": \"localfs_directory\", \"config\": {\"path\": \"site\", \"mode\": \"0755\"}},\n"
            + "  {\"name\": \"index\", \"type\": \"localfs_file\", \"depends_on\": [\"site\"],\n"
            + "   \"config\": {\"path\": \"site/index.html\", \"content\": \"<h1>welcome</h1>\\n\", \"mode\": \"0644\"}},\n"
            + "  {\"name\": \"robots\", \"type\": \"localfs_file\", \"depends_on\": [\"site\"],\n"
            + "   \"config\": {\"path\": \"site/robots.txt\", \"content\": \"User-agent: *\\n\", \"mode\": \"0644\"}}\n"
            + "]}\n");
    write(
        work.resolve("resources-v2.json"),
        "{\"resources\": [\n"
            + "  {\"name\": \"site\", \"type\": \"localfs_directory\", \"config\": {\"path\": \"site\", \"mode\": \"0755\"}},\n"
            + "  {\"name\": \"index\", \"type\": \"localfs_file\", \"depends_on\": [\"site\"],\n"
            + "   \"config\": {\"path\": \"site/index.html\", \"content\": \"<h1>under construction</h1>\\n\", \"mode\": \"0644\"},\n"
            + "   \"hooks\": [{\"command\": [\"grep\", \"-q\", \"welcome\", \"world/site/index.html\"], \"timeout_seconds\": 10}]},\n"
            + "  {\"name\": \"robots\", \"type\": \"localfs_file\", \"depends_on\": [\"site\"],\n"
            + "   \"config\": {\"path\": \"site/robots.txt\", \"content\": \"User-agent: *\\n\", \"mode\": \"0644\"}}\n"
            + "]}\n");
    HostConfig host = HostConfigReader.read(work.resolve("compensa.json"));
    ApplyOptions options =
        ApplyOptions.builder()
            .hookDirectory(work)
            .journal(new io.compensa.host.journal.FileJournal(host.stateFile()))
            .build();

    out.println("== 1. plan and apply three localfs resources in " + work);
    ApplyResult first =
        planAndApply(host, work.resolve("resources.json"), work.resolve("plan-1.json"), options);
    out.println();
    out.println("world/site now holds: " + listing(work.resolve("world/site")));
    out.println();
    out.println(
        "== 2. change index.html; its smoke test (grep -q welcome) fails after the driver's Update,");
    out.println(
        "==    so the host compensates: localfs declares HOST_INVERSE, and the host updates the file back");
    ApplyResult second =
        planAndApply(host, work.resolve("resources-v2.json"), work.resolve("plan-2.json"), options);
    out.println();
    out.println(
        "world/site/index.html is back to: "
            + Files.readString(work.resolve("world/site/index.html"), StandardCharsets.UTF_8)
                .strip());
    out.println();
    out.println(
        "Look around: "
            + work
            + " holds the configuration, the desired resources, the plans and the state.");
    out.println("Next: bin/compensa state list --config " + work.resolve("compensa.json"));
    out.flush();
    boolean asExpected =
        first.allSucceeded()
            && second.outcomes().stream()
                .anyMatch(o -> o.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATED);
    return asExpected ? 0 : FailureReporter.FAILURE;
  }

  private ApplyResult planAndApply(
      HostConfig host, Path desired, Path planFile, ApplyOptions options) throws Exception {
    return planAndApply(
        host, desired, planFile, options, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * Plans {@code desired} against the state, writes the plan, applies it, and prints both as the
   * plan and apply commands would.
   */
  static ApplyResult planAndApply(
      HostConfig host,
      Path desired,
      Path planFile,
      ApplyOptions options,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    Plan plan;
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(host)) {
      plan =
          new Planner(plugins.router())
              .plan(
                  DesiredResourcesReader.read(desired),
                  new FileStateStore(host.stateFile()).read());
    }
    PlanFiles.write(plan, planFile);
    out.println("$ compensa plan " + desired.getFileName() + "  ->  " + planFile.getFileName());
    out.print(PlanCommand.render(plan));
    out.println("$ compensa apply " + planFile.getFileName());
    out.flush();
    ApplyResult result = ApplyCommand.run(host, plan, options, err, "quickstart");
    ApplyCommand.print(result, false, out);
    String name =
        planFile.getFileName().toString().replaceFirst("^plan", "report").replace(".json", ".html");
    out.println(
        "report: " + ReportCommand.write(plan, result.outcomes(), planFile.resolveSibling(name)));
    return result;
  }

  /** Makes {@code work} afresh (refusing a folder quickstart did not make), with world/ in it. */
  static Path prepare(Path work) throws IOException {
    if (Files.isDirectory(work)) {
      boolean ours = Files.exists(work.resolve(MARKER));
      try (Stream<Path> entries = Files.list(work)) {
        if (!ours && entries.findAny().isPresent()) {
          throw new IOException(
              "refusing to clear "
                  + work
                  + ": it was not made by quickstart; pass --dir NEW_FOLDER");
        }
      }
      try (Stream<Path> all = Files.walk(work)) {
        for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
          if (!path.equals(work)) {
            Files.delete(path);
          }
        }
      }
    }
    Files.createDirectories(work);
    Files.createDirectories(work.resolve("world"));
    Files.writeString(
        work.resolve(MARKER), "made by compensa quickstart; it clears this folder on each run\n");
    return work;
  }

  private static String listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      return String.join(", ", names);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /**
   * The checkout the CLI runs from: bin/compensa passes it; otherwise found from the jar's place.
   */
  static Path home() {
    String property = System.getProperty("compensa.home");
    if (property != null) {
      return Path.of(property);
    }
    try {
      Path jar =
          Path.of(
              QuickstartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent().getParent().getParent(); // cli/target/compensa.jar
    } catch (Exception e) {
      return Path.of("");
    }
  }
}
