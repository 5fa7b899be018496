package io.compensa.host.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.CompensationDetail;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalCall;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The journal's own printer ({@link JournalJson}) prints every record kind exactly as JsonFormat's
 * compact printer does, byte for byte, and the reader reads it back unchanged.
 */
class JournalJsonTest {
  private static final String TRICKY =
      "quote\" backslash\\ slash/ <tag> & = ' tab\t nl\n cr\r bs\b ff\f nul\u0000 \u0001 \u001f"
          + " del\u007f é 漢字 \uD83D\uDE00 \u2028 \u2029 \u00a0 \uFEFF end";

  @Test
  void everyRecordKindPrintsAsJsonFormatDoes() throws Exception {
    List<JournalRecord> records = new ArrayList<>();
    for (String text : List.of("", "a", TRICKY)) {
      records.addAll(recordsWith(text));
    }
    for (JournalRecord record : records) {
      assertSame(record);
    }
  }

  @Test
  void randomTextPrintsAsJsonFormatDoes() throws Exception {
    Random random = new Random(21);
    char[] alphabet =
        ("abcXYZ019 \"\\/<>&='\t\n\r\b\f\u0000\u0001\u001f\u007f\u0080é漢\u2028\u2029"
                + "\uD83D\uDE00\uD800\uDC00\uFFFF")
            .toCharArray();
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(20);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      for (JournalRecord record : recordsWith(text.toString())) {
        // lone surrogates do not survive UTF-8 either way: the text alone is compared
        assertThat(JournalLines.print(record)).isEqualTo(JournalLines.printWithJsonFormat(record));
      }
    }
  }

  @Test
  void numbersAndNestedValuesPrintAsJsonFormatDoes() throws Exception {
    Struct.Builder config = Struct.newBuilder();
    double[] numbers = {0, -0.0, 1, -1, 1.5, 1e21, 1e-7, 123456789012345.0, Double.MIN_VALUE};
    for (int i = 0; i < numbers.length; i++) {
      config.putFields("n" + i, Value.newBuilder().setNumberValue(numbers[i]).build());
    }
    config.putFields("z-last-inserted-first", Value.newBuilder().setBoolValue(false).build());
    config.putFields("a", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build());
    config.putFields(
        "list",
        Value.newBuilder()
            .setListValue(
                ListValue.newBuilder()
                    .addValues(Value.newBuilder().setStringValue(TRICKY))
                    .addValues(Value.newBuilder().setStructValue(Struct.getDefaultInstance()))
                    .addValues(Value.newBuilder().setListValue(ListValue.getDefaultInstance())))
            .build());
    config.putFields(TRICKY, Value.newBuilder().setStructValue(config.build()).build());
    ResourceState record = ResourceState.newBuilder().setName("r").setConfig(config).build();
    assertSame(JournalRecords.state("r", Optional.of(record)));
    // what this printer leaves to JsonFormat: a NaN (which it refuses), a Value without a kind
    JournalRecord nan =
        JournalRecords.state(
            "r",
            Optional.of(
                ResourceState.newBuilder()
                    .setConfig(
                        Struct.newBuilder()
                            .putFields(
                                "nan", Value.newBuilder().setNumberValue(Double.NaN).build()))
                    .build()));
    assertThatThrownBy(() -> JournalLines.print(nan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot encode double values for infinity or nan");
    assertThat(
            JournalJson.print(
                JournalRecords.state(
                    "r",
                    Optional.of(
                        ResourceState.newBuilder()
                            .setConfig(
                                Struct.newBuilder().putFields("empty", Value.getDefaultInstance()))
                            .build())),
                new StringBuilder(),
                JournalLines::printWithJsonFormat))
        .isFalse();
  }

  @Test
  void resourcesPrintPrettyAsJsonFormatDoes() throws Exception {
    List<ResourceState> resources = new ArrayList<>();
    for (String text : List.of("", "a", TRICKY, "{[,:]}\"{\\\"}")) {
      for (JournalRecord record : recordsWith(text)) {
        if (record.hasState() && record.getState().hasRecord()) {
          resources.add(record.getState().getRecord());
        }
      }
    }
    Struct nested =
        Struct.newBuilder()
            .putFields(
                "empty", Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build())
            .putFields(
                "list",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(Value.newBuilder().setNumberValue(1))
                            .addValues(
                                Value.newBuilder()
                                    .setStructValue(
                                        Struct.newBuilder()
                                            .putFields(
                                                "k",
                                                Value.newBuilder().setStringValue("v").build())))
                            .addValues(
                                Value.newBuilder().setListValue(ListValue.getDefaultInstance())))
                    .build())
            .build();
    resources.add(ResourceState.newBuilder().setName("n").setConfig(nested).build());
    resources.add(ResourceState.getDefaultInstance());
    for (ResourceState resource : resources) {
      assertThat(JournalJson.pretty(resource)).contains(JsonFormat.printer().print(resource));
    }
    // an unknown enum number in a record's outcome is left to JsonFormat
    assertThat(JournalJson.pretty(ActionOutcome.newBuilder().setStatusValue(99).build())).isEmpty();
  }

  @Test
  void knowsEveryFieldOfTheMessagesItPrints() {
    // a field added to one of them sends every record through JsonFormat until it is printed here
    assertThat(JournalJson.CURRENT).isTrue();
  }

  private static List<JournalRecord> recordsWith(String text) {
    Struct outputs =
        Struct.newBuilder()
            .putFields(text, Value.newBuilder().setStringValue(text).build())
            .putFields("size", Value.newBuilder().setNumberValue(42).build())
            .build();
    ResourceOutput output =
        ResourceOutput.newBuilder()
            .setProviderId(text)
            .setOutputs(outputs)
            .addSensitiveKeys(text)
            .addSensitiveKeys("k")
            .build();
    ResourceState full =
        ResourceState.newBuilder()
            .setName(text)
            .setType(text)
            .setConfig(outputs)
            .setOutput(output)
            .addDependsOn(text)
            .addDependsOn("other")
            .setTainted(true)
            .setNeedsAttention(true)
            .setAttentionReason(text)
            .addDeposed(DeposedObject.getDefaultInstance())
            .build();
    ResourceState bare =
        ResourceState.newBuilder().setName(text).setConfig(Struct.getDefaultInstance()).build();
    ActionOutcome outcome =
        ActionOutcome.newBuilder()
            .setActionId(text)
            .setResourceName(text)
            .setKind(ActionKind.ACTION_KIND_CREATE)
            .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
            .setDriverOutput(output)
            .setDriverError(text)
            .setHookError(text)
            .setCompensation(
                CompensationDetail.newBuilder().setCall(text).setDetail(text).setStartedAt(text))
            .setSkipReason(text)
            .setPrior(full)
            .setRecovered(true)
            .setStartedAt(text)
            .setFinishedAt(text)
            .build();
    List<JournalRecord> records = new ArrayList<>();
    records.add(JournalRecords.intent(text, text, 1));
    records.add(JournalRecords.intent(text, "Create", -1)); // uint32 beyond int's range
    records.add(
        JournalRecords.succeeded(
            text, text, 2, CreateResponse.newBuilder().setOutput(output).build()));
    records.add(JournalRecords.succeeded(text, text, 0, "not a response"));
    records.add(JournalRecords.failed(text, text, 3, text));
    records.add(
        JournalRecord.newBuilder()
            .setCall(JournalCall.newBuilder().setPhaseValue(99).setActionId(text))
            .build());
    records.add(JournalRecords.hookFailure(text, text));
    records.add(JournalRecords.hookStarted(text, List.of(text, "b"), 123, text, 5));
    records.add(JournalRecords.outcome(outcome, Optional.of(full)));
    records.add(JournalRecords.outcome(ActionOutcome.getDefaultInstance(), Optional.empty()));
    records.add(
        JournalRecords.outcome(outcome.toBuilder().setKindValue(77).build(), Optional.of(bare)));
    records.add(JournalRecords.state(text, Optional.of(full)));
    records.add(JournalRecords.state(text, Optional.of(bare)));
    records.add(JournalRecords.state(text, Optional.empty()));
    records.add(JournalRecords.finalized(text));
    records.add(JournalRecords.complete());
    records.add(
        JournalRecords.begin(
            JournalBegin.newBuilder()
                .setPlan(
                    Plan.newBuilder()
                        .setId(text)
                        .addActions(
                            PlanAction.newBuilder()
                                .setId(text)
                                .setKind(ActionKind.ACTION_KIND_UPDATE)
                                .setResource(
                                    ResourceSpec.newBuilder()
                                        .setName(text)
                                        .setType(text)
                                        .setConfig(outputs)
                                        .addDependsOn(text)
                                        .addDependsOn("x"))
                                .setCurrent(full)
                                .addCommandHooks(CommandHook.newBuilder().addCommand(text))
                                .setDrift(text)
                                .setObservedConfig(outputs))
                        .addActions(PlanAction.getDefaultInstance())
                        .addActions(
                            PlanAction.newBuilder()
                                .setResource(ResourceSpec.getDefaultInstance())
                                .setKindValue(55))
                        .setBaseLineage(text)
                        .setBaseSerial(-9))
                .setFailurePolicy(text)
                .setHolder(text)
                .setStartedAt(text)
                .setHostPid(7)
                .setHostName(text)
                .addPluginPids(1)
                .addPluginPids(Long.MAX_VALUE)
                .build()));
    records.add(JournalRecords.begin(JournalBegin.getDefaultInstance()));
    return records;
  }

  private static void assertSame(JournalRecord record) throws Exception {
    String expected = JournalLines.printWithJsonFormat(record);
    assertThat(JournalLines.print(record)).isEqualTo(expected);
    byte[] line = JournalLines.encode(record);
    assertThat(new String(line, 9, line.length - 10, StandardCharsets.UTF_8))
        .isEqualTo(new String(expected.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    JournalLines.Parsed parsed = JournalLines.decode(line, "test");
    assertThat(parsed.records()).containsExactly(record.toBuilder().build());
  }
}
