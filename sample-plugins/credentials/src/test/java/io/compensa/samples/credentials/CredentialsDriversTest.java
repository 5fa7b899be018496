package io.compensa.samples.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.sdk.ActionKind;
import io.compensa.sdk.ActionStatus;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.Outcome;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.testkit.inprocess.InProcessPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin served in-process against a real cloud file: every call goes through the SDK's wire
 * conversion, and the world is read back from that file.
 */
class CredentialsDriversTest {
  @TempDir Path dir;
  private Path cloudFile;
  private InProcessPlugin plugin;

  @BeforeEach
  void start() {
    cloudFile = dir.resolve("cloud.json");
    plugin =
        InProcessPlugin.start(CredentialsPlugin.plugin(), Map.of("cloud", cloudFile.toString()));
  }

  @AfterEach
  void stop() {
    plugin.close();
  }

  /** The world as the cloud file holds it now. */
  private Cloud.Data cloud() throws Exception {
    return new Cloud(cloudFile).read();
  }

  private static ResourceSpec key(String user) {
    return new ResourceSpec("k", "cred_access_key", Map.of("user", user), List.of());
  }

  private static ResourceSpec ruleSet(String name, String rule) {
    return new ResourceSpec(name, "cred_rule_set", Map.of("rules", List.of(rule)), List.of());
  }

  private static Outcome success(String actionId, String name) {
    return new Outcome(
        actionId, name, ActionKind.CREATE, ActionStatus.SUCCESS, ResourceOutput.of(name));
  }

  @Test
  void createReturnsTheSecretOnceAsASensitiveOutputAndTheCloudKeepsOnlyItsDigest()
      throws Exception {
    ResourceOutput created = plugin.create("a1", key("alice"));

    String secret = (String) created.outputs().get("secret");
    assertThat(created.sensitiveKeys()).containsExactly("secret");
    String cloud = Files.readString(cloudFile, StandardCharsets.UTF_8);
    assertThat(cloud)
        .contains(created.providerId())
        .contains(AccessKeyDriver.sha256(secret))
        .doesNotContain(secret);
    ResourceOutput again = plugin.create("a1", key("alice"));
    assertThat(again.providerId()).isEqualTo(created.providerId());
    assertThat(again.outputs()).doesNotContainKey("secret");
    assertThat(cloud().keys).hasSize(1);
  }

  @Test
  void deleteRemovesTheKeyAndDeletingAgainSucceeds() throws Exception {
    ResourceOutput created = plugin.create("a1", key("alice"));
    ResourceState state =
        ResourceState.of(
            "k",
            "cred_access_key",
            Map.of("user", "alice"),
            ResourceOutput.of(created.providerId()));

    plugin.delete("d1", state);
    plugin.delete("d1", state);

    assertThat(cloud().keys).isEmpty();
    assertThat(plugin.read(key("alice"), created.providerId()).exists()).isFalse();
  }

  @Test
  void ruleSetChangesReachTheCloudOnlyAtFinalize() throws Exception {
    plugin.create("r1", ruleSet("web", "allow 443"));
    assertThat(cloud().rules).isEmpty();

    FinalizeResult result = plugin.finalizeApply("p", List.of(success("r1", "web")));

    assertThat(result.amendments()).isEmpty();
    assertThat(cloud().rules).containsEntry("web", List.of("allow 443"));
  }

  @Test
  void aFlushThatFailsPartWayIsRolledBackAndReportedCompensated() throws Exception {
    Files.writeString(
        cloudFile, "{\"rules\": {\"old\": [\"deny all\"]}, \"faults\": {\"flush_fail_after\": 1}}");
    plugin.create("r1", ruleSet("a", "x"));
    plugin.create("r2", ruleSet("b", "y"));

    FinalizeResult result =
        plugin.finalizeApply("p", List.of(success("r1", "a"), success("r2", "b")));

    assertThat(result.amendments())
        .extracting(FinalizeResult.Amendment::actionId)
        .containsExactlyInAnyOrder("r1", "r2");
    assertThat(result.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("rolled back"));
    assertThat(cloud().rules).containsOnlyKeys("old");
  }

  @Test
  void compensatingABatchedChangeDropsIt() throws Exception {
    plugin.create("r1", ruleSet("a", "x"));

    assertThat(
            plugin
                .compensate(
                    new CompensationRequest(
                        "r1",
                        ActionKind.CREATE,
                        new ResourceSpec("a", "cred_rule_set", Map.of(), List.of()),
                        ResourceOutput.of("a"),
                        Optional.empty(),
                        "hook failed"))
                .compensated())
        .isTrue();
    plugin.finalizeApply(
        "p",
        List.of(
            new Outcome(
                "r1", "a", ActionKind.CREATE, ActionStatus.COMPENSATED, ResourceOutput.of("a"))));
    assertThat(cloud().rules).isEmpty();
  }
}
