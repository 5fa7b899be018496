package io.compensa.host.conformance;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample configs per resource type from a JSON file, {@code {"type": [config, ...], ...}}, for
 * plugins whose manifest has none (or too few: a second config lets the suite check Update).
 *
 * <p>Stateless and thread-safe.
 */
public final class SampleConfigs {
  private SampleConfigs() {}

  /**
   * Reads {@code file}.
   *
   * @return the configs of each type named in the file, in file order
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static Map<String, List<Struct>> read(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the sample configs file " + file + ": " + e, e);
    }
    return parse(json, file.toString());
  }

  /**
   * Parses {@code json}, a JSON object of type name to a list of config objects.
   *
   * @param where where the JSON came from, for errors
   */
  public static Map<String, List<Struct>> parse(String json, String where) {
    Struct root = Struct.newBuilder().build();
    try {
      Struct.Builder builder = Struct.newBuilder();
      JsonFormat.parser().merge(json, builder);
      root = builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          where
              + " is not a JSON object of resource type to a list of configs, like"
              + " {\"localfs_file\": [{\"path\": \"a.txt\"}]}: "
              + e.getMessage(),
          e);
    }
    Map<String, List<Struct>> configs = new LinkedHashMap<>();
    for (Map.Entry<String, Value> entry : root.getFieldsMap().entrySet()) {
      if (!entry.getValue().hasListValue()) {
        throw new IllegalArgumentException(
            where + ": \"" + entry.getKey() + "\" must be a list of config objects");
      }
      ListValue list = entry.getValue().getListValue();
      List<Struct> structs = new ArrayList<>();
      for (Value value : list.getValuesList()) {
        if (!value.hasStructValue()) {
          throw new IllegalArgumentException(
              where + ": every config of \"" + entry.getKey() + "\" must be a JSON object");
        }
        structs.add(value.getStructValue());
      }
      configs.put(entry.getKey(), List.copyOf(structs));
    }
    return configs;
  }
}
