package io.compensa.host.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file is exactly what {@link JsonFormat} prints for the snapshot, although the store
 * prints each resource once and reuses it while the snapshot holds the same record.
 */
class FileStateStoreFormatTest {
  @TempDir Path dir;

  @Test
  void eachWriteHoldsExactlyThePrintedSnapshot() throws Exception {
    FileStateStore store = new FileStateStore(dir.resolve("state.json"));
    ResourceState a = resource("a", "first line\nsecond \"quoted\" line");
    ResourceState b = resource("b", "ünïcödé");
    ResourceState c = resource("c", "");
    StateSnapshot.Builder snapshot =
        StateSnapshot.newBuilder().setSerial(1).setLineage("lineage").setLastPlanId("plan");

    assertWritten(store, snapshot.build());
    assertWritten(store, snapshot.setSerial(2).addResources(a).build());
    assertWritten(store, snapshot.setSerial(3).addResources(b).addResources(c).build());
    // b changes, c goes, a stays the very same record
    ResourceState changed = resource("b", "changed");
    assertWritten(
        store,
        StateSnapshot.newBuilder()
            .setSerial(4)
            .setLineage("lineage")
            .setLastPlanId("plan")
            .addResources(a)
            .addResources(changed)
            .build());
    assertWritten(store, StateSnapshot.newBuilder().addResources(c).build());
    assertWritten(store, StateSnapshot.getDefaultInstance());
  }

  private static void assertWritten(FileStateStore store, StateSnapshot snapshot) throws Exception {
    store.write(snapshot);
    assertThat(Files.readString(store.file(), StandardCharsets.UTF_8))
        .isEqualTo(JsonFormat.printer().print(snapshot) + "\n");
    assertThat(store.read()).isEqualTo(snapshot);
  }

  private static ResourceState resource(String name, String text) {
    return ResourceState.newBuilder()
        .setName(name)
        .setType("t")
        .setConfig(
            Struct.newBuilder()
                .putFields("text", Value.newBuilder().setStringValue(text).build())
                .putFields(
                    "nested",
                    Value.newBuilder()
                        .setStructValue(
                            Struct.newBuilder()
                                .putFields("n", Value.newBuilder().setNumberValue(1.5).build()))
                        .build()))
        .addDependsOn("x")
        .setOutput(ResourceOutput.newBuilder().setProviderId("id-" + name))
        .build();
  }
}
