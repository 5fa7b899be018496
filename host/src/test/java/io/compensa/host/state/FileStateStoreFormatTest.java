package io.compensa.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.FinishedApply;
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

  @Test
  void aFinishedApplyAfterTheResourcesIsPrintedExactlyToo() throws Exception {
    FileStateStore store = new FileStateStore(dir.resolve("state.json"));
    FinishedApply.Builder finished =
        FinishedApply.newBuilder().setPlanId("plan").setStartedAt("2026-01-01T00:00:00Z");
    for (int i = 0; i < 1000; i++) {
      finished.addOutcomes(
          ActionOutcome.newBuilder()
              .setActionId("create-" + i)
              .setResourceName("r" + i)
              .setKind(ActionKind.ACTION_KIND_CREATE)
              .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
              .setDriverError(i % 7 == 0 ? "a \"quoted\"\nerror ü" : ""));
    }
    // every field of an outcome, some printed through JsonFormat (a compensation, deposed objects,
    // an enum number this build does not know), escaping and unicode
    String tricky = "<&='\\ \t \u0001 \u2028 漢 \uD83D\uDE00 {[,:]}";
    ResourceState prior =
        resource("p", tricky).toBuilder()
            .setOutput(
                ResourceOutput.newBuilder()
                    .setProviderId(tricky)
                    .setOutputs(
                        Struct.newBuilder()
                            .putFields(tricky, Value.newBuilder().setNumberValue(1.5).build())
                            .putFields(
                                "l",
                                Value.newBuilder()
                                    .setListValue(
                                        ListValue.newBuilder()
                                            .addValues(Value.newBuilder().setBoolValue(true))
                                            .addValues(
                                                Value.newBuilder()
                                                    .setStructValue(Struct.getDefaultInstance())))
                                    .build()))
                    .addSensitiveKeys(tricky))
            .addDependsOn(tricky)
            .setTainted(true)
            .setNeedsAttention(true)
            .setAttentionReason(tricky)
            .addDeposed(DeposedObject.newBuilder().setActionId(tricky))
            .build();
    finished.addOutcomes(
        ActionOutcome.newBuilder()
            .setActionId(tricky)
            .setResourceName(tricky)
            .setKindValue(77)
            .setStatus(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)
            .setDriverOutput(prior.getOutput())
            .setDriverError(tricky)
            .setHookError(tricky)
            .setCompensation(CompensationDetail.newBuilder().setCall(tricky).setDetail(tricky))
            .setSkipReason(tricky)
            .setPrior(prior)
            .setRecovered(true)
            .setStartedAt(tricky)
            .setFinishedAt(tricky));
    finished.addOutcomes(
        ActionOutcome.newBuilder().setPrior(prior).setKind(ActionKind.ACTION_KIND_DELETE));
    finished.addOutcomes(ActionOutcome.getDefaultInstance());
    ResourceState a = resource("a", "x");
    assertWritten(store, StateSnapshot.newBuilder().addResources(prior).addResources(a).build());

    assertWritten(
        store,
        StateSnapshot.newBuilder()
            .setSerial(5)
            .setLineage("lineage")
            .addResources(a)
            .setLastPlanId("plan")
            .setFinishedApply(finished)
            .build());
    // no resources: the finished apply follows the fields before them
    assertWritten(
        store, StateSnapshot.newBuilder().setSerial(6).setFinishedApply(finished).build());
    // nothing but the finished apply
    assertWritten(store, StateSnapshot.newBuilder().setFinishedApply(finished).build());
    // a finished apply with no fields set still prints as an empty object
    assertWritten(
        store,
        StateSnapshot.newBuilder().setFinishedApply(FinishedApply.getDefaultInstance()).build());
  }

  @Test
  void aStateFileIsReadInEitherFieldNamingAndRefusedWithUnknownFields() throws Exception {
    FileStateStore store = new FileStateStore(dir.resolve("state.json"));
    Files.writeString(
        store.file(),
        "{\"last_plan_id\": \"p\", \"finished_apply\": {\"outcomes\": [{\"action_id\": \"a1\"},"
            + " {\"actionId\": \"a2\"}], \"plan_id\": \"p\"}, \"resources\": [{\"name\": \"r\","
            + " \"depends_on\": [\"x\"]}], \"serial\": \"7\", \"lineage\": \"l\"}");

    assertThat(store.read())
        .isEqualTo(
            StateSnapshot.newBuilder()
                .setSerial(7)
                .setLineage("l")
                .setLastPlanId("p")
                .addResources(ResourceState.newBuilder().setName("r").addDependsOn("x"))
                .setFinishedApply(
                    FinishedApply.newBuilder()
                        .setPlanId("p")
                        .addOutcomes(ActionOutcome.newBuilder().setActionId("a1"))
                        .addOutcomes(ActionOutcome.newBuilder().setActionId("a2")))
                .build());

    Files.writeString(
        store.file(),
        "{\"serial\": \"1\", \"resources\": [{\"name\": \"r\", \"colour\": \"red\"}]}");
    assertThatThrownBy(store::read)
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("state file " + store.file() + " is not a valid Compensa state (")
        .hasMessageContaining("colour")
        .hasMessageEndingWith("it was left as it is: restore it from a backup or move it aside");

    Files.writeString(store.file(), "{\"serial\": \"1\", \"resources\": [{\"name\": \"r\"");
    assertThatThrownBy(store::read)
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("state file " + store.file() + " is not a valid Compensa state (");
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
