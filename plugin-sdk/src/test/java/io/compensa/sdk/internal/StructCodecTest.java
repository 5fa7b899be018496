package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructCodecTest {

  @Test
  void aMapOfJsonLikeValuesSurvivesTheRoundTripWithNumbersAsDoubles() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("none", null);
    nested.put("list", Arrays.asList("a", 2, true, null));
    Map<String, Object> map =
        Map.of("text", "hello", "count", 3, "ratio", 0.5, "on", false, "nested", nested);

    Map<String, Object> back = StructCodec.toMap(StructCodec.toStruct(map));

    assertThat(back)
        .containsEntry("text", "hello")
        .containsEntry("count", 3.0)
        .containsEntry("ratio", 0.5)
        .containsEntry("on", false);
    @SuppressWarnings("unchecked")
    Map<String, Object> nestedBack = (Map<String, Object>) back.get("nested");
    assertThat(nestedBack)
        .containsEntry("none", null)
        .containsEntry("list", Arrays.asList("a", 2.0, true, null));
  }

  @Test
  void aStructBecomesPlainJavaValues() {
    Struct struct =
        Struct.newBuilder()
            .putFields("s", Value.newBuilder().setStringValue("x").build())
            .putFields("n", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
            .putFields(
                "l",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder().addValues(Value.newBuilder().setNumberValue(1)))
                    .build())
            .build();

    assertThat(StructCodec.toMap(struct))
        .containsEntry("s", "x")
        .containsEntry("n", null)
        .containsEntry("l", List.of(1.0));
  }

  @Test
  void aValueThatIsNotJsonLikeIsRefusedWithItsPath() {
    Map<String, Object> map = Map.of("outer", Map.of("when", new Object()));

    assertThatThrownBy(() -> StructCodec.toStruct(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"outer.when\"")
        .hasMessageContaining("not JSON-like");
  }
}
