package io.compensa.host.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.cli.CompensaCli;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.state.StateLock;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.LocalFs;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts as separate processes (child JVMs running {@code compensa}) sharing one PostgreSQL state,
 * with the real localfs plugin: two applies at once, a host killed with SIGKILL and recovered from
 * another process, the database connection cut mid-apply, and file ↔ PostgreSQL migration.
 */
class PostgresHostsTest {
  private static final Gson GSON = new Gson();

  @TempDir Path dir;
  private String state;
  private Path config;
  private Path root;

  @BeforeEach
  void setUp() throws Exception {
    Postgres.require();
    state = "hosts-" + System.nanoTime();
    root = dir.resolve("world");
    Files.createDirectories(root);
    config = config(Postgres.url(state));
  }

  private Path config(String stateLocation) throws Exception {
    JsonObject plugin = new JsonObject();
    plugin.add("command", GSON.toJsonTree(LocalFs.command()));
    plugin.add(
        "config", JsonParser.parseString("{\"root\": " + GSON.toJson(root.toString()) + "}"));
    JsonObject plugins = new JsonObject();
    plugins.add("localfs", plugin);
    JsonObject top = new JsonObject();
    top.addProperty("state", stateLocation);
    top.addProperty("secrets", "compensa-secrets.json");
    top.add("plugins", plugins);
    Path file = dir.resolve("compensa-" + Math.abs(stateLocation.hashCode()) + ".json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }

  private Path plan(String id, String folder, int files) throws Exception {
    Files.createDirectories(root.resolve(folder));
    Plan.Builder plan = Plan.newBuilder().setId(id);
    for (int i = 0; i < files; i++) {
      plan.addActions(
          LocalFsWorld.create(
              id + "-a" + i, folder + "-" + i, folder + "/f" + i + ".txt", "content " + i));
    }
    Path file = dir.resolve(id + ".json");
    PlanFiles.write(plan.build(), file);
    return file;
  }

  private Process host(Path log, String... args) throws Exception {
    return new ChildCli(dir, Postgres.env()).start(log, args);
  }

  private static String waitFor(Process process, Path log) throws Exception {
    assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("host finished").isTrue();
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private void awaitJournalRows(Process process, long rows) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (Postgres.journalRows(state) < rows) {
      assertThat(process.isAlive()).as("the host is still applying").isTrue();
      assertThat(System.nanoTime()).as("journal reached " + rows + " rows").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private StateSnapshot stateNow() throws Exception {
    return new PostgresStore(Postgres.settings(state)).read();
  }

  private static void awaitOrphans(List<ProcessHandle> children) {
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void twoHostsAtOnceOneRunsTheOtherIsRefusedNamingItAndAThirdWaitsWithLockTimeout()
      throws Exception {
    Path planA = plan("plan-a", "a", 600);
    Path planB = plan("plan-b", "b", 5);
    Path planC = plan("plan-c", "c", 5);
    Process a =
        host(
            dir.resolve("a.log"),
            "apply",
            planA.toString(),
            "-c",
            config.toString(),
            "--parallelism",
            "1");
    awaitJournalRows(a, 3);
    Process b = host(dir.resolve("b.log"), "apply", planB.toString(), "-c", config.toString());
    String bOut = waitFor(b, dir.resolve("b.log"));
    assertThat(b.exitValue()).as(bOut).isNotZero();
    assertThat(bOut)
        .contains("is locked by pid " + a.pid())
        .contains("apply " + planA)
        .contains("since");
    assertThat(a.isAlive()).as("A was still applying when B was refused").isTrue();
    Process c =
        host(
            dir.resolve("c.log"),
            "apply",
            planC.toString(),
            "-c",
            config.toString(),
            "--lock-timeout",
            "120s");
    String aOut = waitFor(a, dir.resolve("a.log"));
    assertThat(a.exitValue()).as(aOut).isZero();
    String cOut = waitFor(c, dir.resolve("c.log"));
    assertThat(c.exitValue()).as(cOut).isZero();
    List<String> names =
        stateNow().getResourcesList().stream().map(ResourceState::getName).toList();
    assertThat(names).hasSize(605).noneMatch(n -> n.startsWith("b-"));
    assertThat(LocalFsWorld.filesIn(root, "b")).isZero();
    assertThat(LocalFsWorld.compare(stateNow(), root, "a").leaks()).isFalse();
  }

  @Test
  void aHostKilledMidApplyLeavesNoLockAndAnotherProcessRecoversIt() throws Exception {
    Path planFile = plan("plan-k", "k", 300);
    Process victim =
        host(
            dir.resolve("victim.log"),
            "apply",
            planFile.toString(),
            "-c",
            config.toString(),
            "--parallelism",
            "4");
    awaitJournalRows(victim, 120);
    List<ProcessHandle> plugins = victim.descendants().toList();
    victim.destroyForcibly(); // SIGKILL
    victim.waitFor(30, TimeUnit.SECONDS);
    awaitOrphans(plugins);
    // no human needed: PostgreSQL dropped the dead host's session and its lock
    try (StateLock lock =
        new PostgresStore(Postgres.settings(state)).lock("check", Duration.ofSeconds(10))) {
      assertThat(lock).isNotNull();
    }
    Path log = dir.resolve("recover.log");
    String out = waitFor(host(log, "recover", "-c", config.toString(), "--json"), log);
    assertThat(out).contains("recovered plan plan-k");
    JsonObject result =
        JsonParser.parseString(
                out.substring(out.indexOf("{\n  \"planId\""), out.lastIndexOf('}') + 1))
            .getAsJsonObject();
    assertThat(result.getAsJsonArray("outcomes"))
        .hasSize(300); // invariant 1 (the engine checks it too)
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isEmpty();
    assertThat(LocalFsWorld.compare(stateNow(), root, "k").leaks())
        .as(LocalFsWorld.compare(stateNow(), root, "k").toString())
        .isFalse();
  }

  @Test
  void aConnectionCutMidApplyStopsItCleanlyAndRecoverFinishesIt() throws Exception {
    Path planFile = plan("plan-d", "d", 300);
    Path log = dir.resolve("cut.log");
    Process host =
        host(log, "apply", planFile.toString(), "-c", config.toString(), "--parallelism", "4");
    awaitJournalRows(host, 120);
    assertThat(Postgres.terminateLockHolder(state)).isEqualTo(1);
    String out = waitFor(host, log);
    assertThat(host.exitValue()).isNotZero();
    assertThat(out).contains("connection to PostgreSQL").contains("compensa recover");
    // nothing half-written: the state and the journal read back whole
    StateSnapshot cut = stateNow();
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isPresent();
    assertThat(cut.getResourcesCount()).isLessThan(300);
    Path recoverLog = dir.resolve("recover.log");
    Process recover = host(recoverLog, "recover", "-c", config.toString());
    String recovered = waitFor(recover, recoverLog);
    assertThat(recovered).contains("recovered plan plan-d");
    assertThat(new PostgresStore(Postgres.settings(state)).journal().unfinished()).isEmpty();
    assertThat(LocalFsWorld.compare(stateNow(), root, "d").leaks()).isFalse();
  }

  @Test
  void migrationFileToPostgresAndBackIsLosslessAndRefusesANonEmptyTarget() throws Exception {
    Path fileConfig = config("state/compensa-state.json");
    assertThat(cli("apply", plan("plan-m", "m", 20).toString(), "-c", fileConfig.toString()))
        .isZero();
    Path stateFile = dir.resolve("state/compensa-state.json");
    StateSnapshot original = new io.compensa.host.state.FileStateStore(stateFile).read();
    assertThat(original.getResourcesCount()).isEqualTo(20);
    String pg = Postgres.url(state);
    // run in a child so the credentials come from the environment, as an operator's would
    Path log = dir.resolve("migrate.log");
    Process there = host(log, "state", "migrate", "--from", "file:" + stateFile, "--to", pg);
    assertThat(there.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(there.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("copied 20 resources").contains("secrets");
    assertThat(stateNow()).isEqualTo(original);
    Path back = dir.resolve("back/compensa-state.json");
    Process home = host(log, "state", "migrate", "--from", pg, "--to", "file:" + back);
    assertThat(home.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(home.exitValue()).as(Files.readString(log)).isZero();
    assertThat(new io.compensa.host.state.FileStateStore(back).read()).isEqualTo(original);
    Process again = host(log, "state", "migrate", "--from", "file:" + stateFile, "--to", pg);
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isNotZero();
    assertThat(Files.readString(log))
        .contains("not empty")
        .doesNotContain(Postgres.env().get("COMPENSA_PG_PASSWORD"));
  }

  private int cli(String... args) {
    return CompensaCli.commandLine(
            new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true))
        .execute(args);
  }
}
