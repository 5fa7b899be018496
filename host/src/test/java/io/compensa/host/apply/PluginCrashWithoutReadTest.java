package io.compensa.host.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol model's finding F3 (docs/protocol-model.md): the plugin dies under a Create that
 * took effect, for a type that cannot Read (possible for plugins in other languages; the Java SDK
 * requires Read). Nobody can ask the world, so the host repeats the Create with the same action id
 * once the plugin is back; the plugin answers with the object the first call made, and the action
 * ends SUCCESS with it recorded, instead of ERROR beside an object no record names.
 */
class PluginCrashWithoutReadTest {
  @TempDir Path dir;

  @Test
  void aCreateLostInAPluginCrashIsRepeatedWithItsActionIdWhenTheTypeCannotRead() throws Exception {
    FakePlugin plugin =
        new FakePlugin(
                "thing",
                CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE,
                CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE,
                CompensationPolicy.COMPENSATION_POLICY_HOST_INVERSE)
            .withoutRead();
    plugin.crashingAfter.add("Create:n");
    Plan plan =
        Plan.newBuilder()
            .setId("noread")
            .addActions(
                PlanAction.newBuilder()
                    .setId("create-n")
                    .setKind(ActionKind.ACTION_KIND_CREATE)
                    .setResource(
                        ResourceSpec.newBuilder()
                            .setName("n")
                            .setType("thing")
                            .setConfig(FakePlugin.config("v", "1"))))
            .build();
    FileStateStore store = new FileStateStore(dir.resolve("state.json"));

    ApplyResult result =
        new ApplyEngine(
                new PluginRouter(List.of(plugin)),
                store,
                new FileSecretStore(dir.resolve("secrets.json")),
                ApplyOptions.builder().build(),
                new ApplyListener() {})
            .apply(plan, "test");

    assertThat(plugin.crashingAfter).as("the crash was injected").isEmpty();
    assertThat(plugin.calls).containsExactly("Create:n", "Create:n", "FinalizeApply");
    assertThat(result.outcomes())
        .singleElement()
        .satisfies(o -> assertThat(o.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS));
    List<ResourceState> recorded = store.read().getResourcesList();
    assertThat(plugin.world.keySet())
        .as("one object in the world, and it is recorded")
        .containsExactly(recorded.get(0).getOutput().getProviderId());
  }
}
