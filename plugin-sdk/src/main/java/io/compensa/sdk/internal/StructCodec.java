package io.compensa.sdk.internal;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between {@code google.protobuf.Struct} and JSON-like Java maps.
 *
 * <p>Every protobuf number becomes a {@link Double}, the only number type a Struct has. Stateless
 * and thread-safe.
 */
public final class StructCodec {

  private StructCodec() {}

  /**
   * Returns the Java map for a Struct.
   *
   * @param struct the struct
   * @return an unmodifiable map in the struct's key order
   */
  public static Map<String, Object> toMap(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((key, value) -> map.put(key, toJava(value)));
    return Collections.unmodifiableMap(map);
  }

  /**
   * Returns the Struct for a JSON-like map.
   *
   * @param map the map
   * @return the struct
   * @throws IllegalArgumentException when a value is not JSON-like
   */
  public static Struct toStruct(Map<String, ?> map) {
    Map<String, Object> checked = JsonValues.copyObject(map);
    Struct.Builder struct = Struct.newBuilder();
    checked.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  /**
   * Returns the Java value for a protobuf Value.
   *
   * @param value the value
   * @return null, Boolean, Double, String, List or Map
   */
  public static Object toJava(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> value.getBoolValue();
      case NUMBER_VALUE -> value.getNumberValue();
      case STRING_VALUE -> value.getStringValue();
      case STRUCT_VALUE -> toMap(value.getStructValue());
      case LIST_VALUE -> {
        List<Object> list = new ArrayList<>();
        for (Value element : value.getListValue().getValuesList()) {
          list.add(toJava(element));
        }
        yield Collections.unmodifiableList(list);
      }
    };
  }

  private static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (value instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (value instanceof Map<?, ?> map) {
      Struct.Builder struct = Struct.newBuilder();
      map.forEach((key, element) -> struct.putFields((String) key, toValue(element)));
      return Value.newBuilder().setStructValue(struct).build();
    }
    ListValue.Builder list = ListValue.newBuilder();
    for (Object element : (List<?>) value) {
      list.addValues(toValue(element));
    }
    return Value.newBuilder().setListValue(list).build();
  }
}
