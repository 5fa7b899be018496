package io.compensa.host.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.InvalidConfigException;
import io.compensa.host.state.StateStoreException;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder's entry point, through a real localfs plugin process, on a file state; the
 * PostgreSQL state is tested in the store's module (CompensaHostOnPostgresTest), where its backend
 * is on the class path.
 */
class CompensaHostTest {
  @TempDir Path dir;

  @Test
  void aConfigWithAFileStateAppliesThroughItsPluginAndAFailingHookIsCompensated() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path config = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "state/state.json");
    AtomicInteger hooked = new AtomicInteger();
    try (CompensaHost host = CompensaHost.open(config)) {
      assertThat(host.stores().location()).endsWith("state.json");
      ApplyResult created =
          host.engine(options -> options.hook(context -> hooked.incrementAndGet()))
              .apply(
                  Plan.newBuilder()
                      .setId("embed-1")
                      .addActions(LocalFsWorld.create("c1", "hello", "hello.txt", "hi\n"))
                      .build(),
                  "embed test");
      assertThat(created.allSucceeded()).isTrue();
      assertThat(hooked).hasValue(1);

      ApplyResult compensated =
          host.engine(
                  options ->
                      options
                          .failurePolicy(FailurePolicy.STOP)
                          .hook(
                              context -> {
                                throw new IllegalStateException("policy says no");
                              }))
              .apply(
                  Plan.newBuilder()
                      .setId("embed-2")
                      .addActions(LocalFsWorld.create("c2", "refused", "refused.txt", "no\n"))
                      .build(),
                  "embed test");
      assertThat(compensated.outcomes().get(0).getStatus())
          .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
      assertThat(compensated.outcomes().get(0).getHookError()).contains("policy says no");
    }
    assertThat(Files.readString(root.resolve("hello.txt"))).isEqualTo("hi\n");
    assertThat(root.resolve("refused.txt")).doesNotExist();
    // the records (how the last apply ended, also in the state, names the compensated one)
    assertThat(
            JsonParser.parseString(Files.readString(dir.resolve("state/state.json")))
                .getAsJsonObject()
                .get("resources")
                .toString())
        .contains("hello")
        .doesNotContain("refused");
  }

  @Test
  void aConfigWithAPostgresStateIsRefusedNamingTheMissingModuleWhenTheStoreIsNotOnTheClassPath()
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path config = LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "unused.json");
    JsonObject top = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
    top.addProperty("state", "postgresql://alice:hunter2@db.example.com/compensa?state=prod");
    Files.writeString(config, top.toString());
    assertThatThrownBy(() -> CompensaHost.open(config))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("\"postgresql://\"")
        .hasMessageContaining("io.compensa:compensa-store-postgres")
        .hasMessageNotContaining("hunter2");
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
