package io.compensa.sdk.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HclogLineTest {

  private static Struct parse(String line) throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser().merge(line, json);
    return json.build();
  }

  @Test
  void writesHclogFieldsWithAMicrosecondUtcTimestamp() throws Exception {
    String line =
        HclogLine.format(
            Instant.parse("2026-11-28T02:47:02.123456789Z"),
            HclogLevel.INFO,
            "localfs",
            "created",
            Map.of(),
            null);

    assertThat(line)
        .startsWith(
            "{\"@level\":\"info\",\"@message\":\"created\","
                + "\"@module\":\"localfs\",\"@timestamp\":\"2026-11-28T02:47:02.123456Z\"");
    assertThat(parse(line).getFieldsCount()).isEqualTo(4);
  }

  @Test
  void timestampsMatchTheMicrosecondIsoPatternWithLeadingZeros() {
    DateTimeFormatter pattern =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    for (String instant :
        List.of(
            "2026-01-02T03:04:05.000007Z",
            "1970-01-01T00:00:00Z",
            "0987-12-31T23:59:59.999999999Z",
            "2026-11-28T02:47:02.123456789Z",
            "9999-06-30T12:00:00.100Z")) {
      Instant time = Instant.parse(instant);
      assertThat(HclogLine.timestamp(time)).as(instant).isEqualTo(pattern.format(time));
    }
  }

  @Test
  void keepsNumbersAndBooleansTypedAndEscapesStrings() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("path", "a \"quoted\"\nname\t\u0001 caf\u00e9");
    fields.put("size", 42L);
    fields.put("ok", true);
    fields.put("missing", null);
    fields.put("@level", "not allowed to override");

    String line = HclogLine.format(Instant.now(), HclogLevel.WARN, "m", "msg", fields, null);
    Struct json = parse(line);

    assertThat(line).matches("[\\x20-\\x7e]+");
    assertThat(json.getFieldsOrThrow("path").getStringValue())
        .isEqualTo("a \"quoted\"\nname\t\u0001 caf\u00e9");
    assertThat(json.getFieldsOrThrow("size").getNumberValue()).isEqualTo(42.0);
    assertThat(json.getFieldsOrThrow("ok").getBoolValue()).isTrue();
    assertThat(json.getFieldsOrThrow("missing").hasNullValue()).isTrue();
    assertThat(json.getFieldsOrThrow("@level").getStringValue()).isEqualTo("warn");
  }

  @Test
  void anExceptionBecomesErrorAndStacktraceFields() throws Exception {
    Struct json =
        parse(
            HclogLine.format(
                Instant.now(),
                HclogLevel.ERROR,
                "m",
                "failed",
                Map.of(),
                new IllegalStateException("broken")));

    assertThat(json.getFieldsOrThrow("error").getStringValue())
        .isEqualTo("java.lang.IllegalStateException: broken");
    assertThat(json.getFieldsOrThrow("stacktrace").getStringValue()).contains("HclogLineTest");
  }

  @Test
  void levelSettingsAreReadInAnyCase() {
    assertThat(HclogLevel.parse("DEBUG")).isEqualTo(HclogLevel.DEBUG);
    assertThat(HclogLevel.parse(" warning ")).isEqualTo(HclogLevel.WARN);
  }
}
