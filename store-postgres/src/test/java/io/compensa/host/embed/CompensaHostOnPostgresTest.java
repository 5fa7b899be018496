package io.compensa.host.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.store.postgres.PostgresStore;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder's entry point on a PostgreSQL state: with this module on the class path, a
 * configuration whose "state" is a postgresql:// URL applies through a real localfs plugin process
 * against the database.
 */
class CompensaHostOnPostgresTest {
  @TempDir Path dir;

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
      ApplyResult result =
          host.engine()
              .apply(
                  Plan.newBuilder()
                      .setId("embed-pg")
                      .addActions(LocalFsWorld.create("c1", "in-db", "in-db.txt", "db\n"))
                      .build(),
                  "embed test");
      assertThat(result.allSucceeded()).isTrue();
    }
    assertThat(root.resolve("in-db.txt")).exists();
    assertThat(new PostgresStore(Postgres.settings(state)).read().getResourcesList())
        .extracting(ResourceState::getName)
        .containsExactly("in-db");
    assertThat(dir.resolve("unused.json")).doesNotExist();
  }
}
