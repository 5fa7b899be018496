package io.compensa.bench;

import com.google.gson.Gson;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateStore;
import io.compensa.host.store.postgres.PostgresSettings;
import io.compensa.host.store.postgres.PostgresStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Apply throughput of a plan of N localfs file creations at parallelism P, with the file store and
 * (when a PostgreSQL URL is given) the PostgreSQL store, in one run against the same launched
 * plugin.
 *
 * <p>{@code bench/run-apply [--actions 1000] [--parallelism 16] [--pg postgresql://HOST:PORT/DB]
 * [localfs command...]}; PostgreSQL credentials come from PGUSER and
 * COMPENSA_PG_PASSWORD/PGPASSWORD.
 */
public final class ApplyBench {
  private ApplyBench() {}

  public static void main(String[] args) throws Exception {
    // as the compensa CLI does: the host as operators run it
    PluginLauncher.preferVforkLaunch();
    System.setProperty("org.slf4j.simpleLogger.log.plugin", "warn");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int actions = 1000;
    int parallelism = 16;
    int rounds = 2;
    String pg = System.getenv("COMPENSA_BENCH_PG_URL");
    int i = 0;
    for (; i < args.length && args[i].startsWith("--"); i += 2) {
      switch (args[i]) {
        case "--actions" -> actions = Integer.parseInt(args[i + 1]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--pg" -> pg = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> command = List.of(args).subList(i, args.length);
    if (command.isEmpty()) {
      command =
          List.of(
              Path.of("sample-plugins/localfs/bin/compensa-localfs").toAbsolutePath().toString());
    }
    Path work = Files.createTempDirectory("compensa-apply-bench");
    Path root = Files.createDirectories(work.resolve("world"));
    Path configFile = work.resolve("compensa.json");
    Files.writeString(
        configFile,
        new Gson()
            .toJson(
                Map.of(
                    "state",
                    "state.json",
                    "plugins",
                    Map.of(
                        "localfs",
                        Map.of("command", command, "config", Map.of("root", root.toString()))))));
    HostConfig config = HostConfigReader.read(configFile);
    System.out.printf(
        "apply bench: %d localfs creations per apply, parallelism %d, %d round(s) per store%n",
        actions, parallelism, rounds);
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(config)) {
      for (int round = 1; round <= rounds; round++) {
        String folder = "file" + round;
        Path stateFile = work.resolve(folder + "-state.json");
        run(
            "file      ",
            plugins,
            new FileStateStore(stateFile),
            new FileJournal(stateFile),
            work,
            root,
            folder,
            actions,
            parallelism);
        if (pg != null) {
          String url = pg + (pg.contains("?") ? "&" : "?") + "state=bench-" + System.nanoTime();
          PostgresStore store = new PostgresStore(PostgresSettings.of(url, Optional.empty()));
          run(
              "postgresql",
              plugins,
              store,
              store.journal(),
              work,
              root,
              "pg" + round,
              actions,
              parallelism);
        }
      }
    }
    if (pg == null) {
      System.out.println("(no --pg URL or COMPENSA_BENCH_PG_URL: PostgreSQL not measured)");
    }
  }

  private static void run(
      String label,
      LaunchedPlugins plugins,
      StateStore store,
      Journal journal,
      Path work,
      Path root,
      String folder,
      int actions,
      int parallelism)
      throws Exception {
    Files.createDirectories(root.resolve(folder));
    Plan.Builder plan = Plan.newBuilder().setId("bench-" + folder);
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < actions; n++) {
      plan.addActions(
          PlanAction.newBuilder()
              .setId(folder + "-a" + n)
              .setKind(ActionKind.ACTION_KIND_CREATE)
              .setResource(
                  ResourceSpec.newBuilder()
                      .setName(folder + "-" + n)
                      .setType("localfs_file")
                      .setConfig(
                          Struct.newBuilder()
                              .putFields(
                                  "path",
                                  Value.newBuilder()
                                      .setStringValue(folder + "/f" + n + ".txt")
                                      .build())
                              .putFields(
                                  "content",
                                  Value.newBuilder().setStringValue("content " + n).build()))));
      ids.add(folder + "-a" + n);
    }
    ApplyEngine engine =
        new ApplyEngine(
            plugins.router(),
            store,
            new FileSecretStore(work.resolve(folder + "-secrets.json")),
            ApplyOptions.builder().parallelism(parallelism).journal(journal).build(),
            new ApplyListener() {});
    long start = System.nanoTime();
    ApplyResult result = engine.apply(plan.build(), "apply bench");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s %5d actions in %6.2f s = %7.1f actions/s (all succeeded: %s)%n",
        label, actions, seconds, actions / seconds, result.allSucceeded());
  }
}
