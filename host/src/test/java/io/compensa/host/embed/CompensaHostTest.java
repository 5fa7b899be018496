package io.compensa.host.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.InvalidConfigException;
import io.compensa.host.store.postgres.PostgresStore;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder's entry point, through a real localfs plugin process, on a file and a PostgreSQL state. */
class CompensaHostTest {
  @TempDir Path dir;

  @Test
  void aConfigWithAFileStateAppliesThroughItsPluginAndAFailingHookIsCompensated() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path config = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "state/state.json");
    AtomicInteger hooked = new AtomicInteger();
    try (CompensaHost host = CompensaHost.open(config)) {
      assertThat(host.stores().location()).endsWith("state.json");
      ApplyResult created = host.engine(options -> options.hook(context -> hooked.incrementAndGet()))
          .apply(Plan.newBuilder().setId("embed-1")
              .addActions(LocalFsWorld.create("c1", "hello", "hello.txt", "hi\n")).build(), "embed test");
      assertThat(created.allSucceeded()).isTrue();
      assertThat(hooked).hasValue(1);

      ApplyResult compensated = host.engine(options -> options.failurePolicy(FailurePolicy.STOP)
              .hook(context -> {
                throw new IllegalStateException("policy says no");
              }))
          .apply(Plan.newBuilder().setId("embed-2")
              .addActions(LocalFsWorld.create("c2", "refused", "refused.txt", "no\n")).build(), "embed test");
      assertThat(compensated.outcomes().get(0).getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
      assertThat(compensated.outcomes().get(0).getHookError()).contains("policy says no");
    }
    assertThat(Files.readString(root.resolve("hello.txt"))).isEqualTo("hi\n");
    assertThat(root.resolve("refused.txt")).doesNotExist();
    assertThat(Files.readString(dir.resolve("state/state.json"))).contains("hello").doesNotContain("refused");
  }

  @Test
  void aConfigWithAPostgresStateAppliesAgainstTheDatabase() throws Exception {
    Postgres.require();
    String state = "embed-" + System.nanoTime();
    Path root = Files.createDirectories(dir.resolve("root"));
    Path config = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "unused.json");
    Path passwordFile = dir.resolve("pg-password");
    Files.writeString(passwordFile, Postgres.password());
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    JsonObject top = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
    top.addProperty("state", Postgres.urlWithUser(state));
    top.addProperty("state_password_file", passwordFile.getFileName().toString());
    Files.writeString(config, top.toString());

    try (CompensaHost host = CompensaHost.open(config)) {
      assertThat(host.stores().state()).isInstanceOf(PostgresStore.class);
      ApplyResult result = host.engine().apply(Plan.newBuilder().setId("embed-pg")
          .addActions(LocalFsWorld.create("c1", "in-db", "in-db.txt", "db\n")).build(), "embed test");
      assertThat(result.allSucceeded()).isTrue();
    }
    assertThat(root.resolve("in-db.txt")).exists();
    assertThat(new PostgresStore(Postgres.settings(state)).read().getResourcesList())
        .extracting(ResourceState::getName).containsExactly("in-db");
    assertThat(dir.resolve("unused.json")).doesNotExist();
  }

  @Test
  void aConfigThatCannotBeReadIsRefusedNamingTheFileAndNothingIsLaunched() throws Exception {
    Path config = dir.resolve("compensa.json");
    Files.writeString(config, "{\"plugins\": 3}");
    assertThatThrownBy(() -> CompensaHost.open(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(config.toString());
  }
}
