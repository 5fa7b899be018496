package io.compensa.host.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns valid seed inputs into hostile ones: byte flips, truncation, deletion and duplication of
 * spans, insertion of huge numbers, deep nesting, wrong JSON types, control characters and invalid
 * UTF-8, splices of two seeds, random bytes, and JSON-aware mutations that replace a value with one
 * of another type or rename a key. Seeded: the same seed gives the same inputs. Not thread-safe.
 */
public final class Mutator {
  private static final String DEEP_ARRAYS = "[".repeat(5000) + "]".repeat(5000);
  private static final String DEEP_OBJECTS = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
  private static final String[] NASTY = {
    "1e999999999",
    "-1e999999999",
    "1e99999",
    "1E-99999",
    "123456789012345678901234567890123456789",
    "-9223372036854775809",
    "4294967296",
    "2147483648",
    "-0",
    "0.0000000001",
    "1.5",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "01",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "\"\"",
    "\"x\"",
    "[1,\"a\",null,{}]",
    "{\"\":\"\"}",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\"\\uZZZZ\"",
    "\"\\",
    "\u0000",
    "\u2028",
    "\ufeff",
    "'single'",
    "/*c*/",
    "//c\n",
    DEEP_ARRAYS,
    DEEP_OBJECTS,
    "[".repeat(20_000),
    "{\"a\":".repeat(5_000),
    "\"" + "x".repeat(20_000) + "\"",
    "{\"a\":1,\"a\":2}",
    ",",
    ":",
    "}",
    "]",
    "|",
    "||||",
    "\n",
    "\r\n",
  };
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xC3, (byte) 0x28},
    {(byte) 0xFF},
    {(byte) 0xFE, (byte) 0xFF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xC0, (byte) 0xAF},
    {(byte) 0x80},
  };

  private final Random random;
  private final List<byte[]> seeds;
  private final List<String> keys;

  /**
   * A mutator over {@code seeds}.
   *
   * @param keys names a JSON-aware mutation may rename a key to (known and unknown ones)
   */
  public Mutator(long seed, List<byte[]> seeds, List<String> keys) {
    this.random = new Random(seed);
    this.seeds = List.copyOf(seeds);
    this.keys = List.copyOf(keys);
  }

  public Random random() {
    return random;
  }

  /**
   * The next hostile input: a seed with one to three mutations stacked, or now and then a seed as
   * it is.
   */
  public byte[] next() {
    byte[] input = seeds.get(random.nextInt(seeds.size()));
    if (random.nextInt(50) == 0) {
      return input;
    }
    int rounds = 1 + random.nextInt(3);
    for (int i = 0; i < rounds && input.length < 32 * 1024; i++) {
      input = mutate(input);
    }
    return input;
  }

  /** One mutation of {@code input}. */
  public byte[] mutate(byte[] input) {
    switch (random.nextInt(12)) {
      case 0:
        return flip(input);
      case 1:
        return input.length == 0 ? input : Arrays.copyOf(input, random.nextInt(input.length));
      case 2:
        return insert(input, NASTY[random.nextInt(NASTY.length)].getBytes(StandardCharsets.UTF_8));
      case 3:
        return insert(input, BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
      case 4:
        return deleteSpan(input);
      case 5:
        return duplicateSpan(input);
      case 6:
        return splice(input, seeds.get(random.nextInt(seeds.size())));
      case 7:
        {
          byte[] noise = new byte[random.nextInt(300)];
          random.nextBytes(noise);
          return noise;
        }
      case 8:
        return replaceToken(input);
      default:
        return jsonAware(input);
    }
  }

  private byte[] flip(byte[] input) {
    if (input.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    byte[] out = input.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(out.length);
      out[at] =
          random.nextBoolean()
              ? (byte) (out[at] ^ (1 << random.nextInt(8)))
              : (byte) random.nextInt(256);
    }
    return out;
  }

  private byte[] insert(byte[] input, byte[] what) {
    int at = input.length == 0 ? 0 : random.nextInt(input.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + what.length);
    out.write(input, 0, at);
    out.write(what, 0, what.length);
    out.write(input, at, input.length - at);
    return out.toByteArray();
  }

  private byte[] deleteSpan(byte[] input) {
    if (input.length < 2) {
      return new byte[0];
    }
    int from = random.nextInt(input.length);
    int to = Math.min(input.length, from + 1 + random.nextInt(Math.max(1, input.length / 4)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(input, 0, from);
    out.write(input, to, input.length - to);
    return out.toByteArray();
  }

  private byte[] duplicateSpan(byte[] input) {
    if (input.length == 0) {
      return input;
    }
    int from = random.nextInt(input.length);
    int to =
        Math.min(
            input.length, from + 1 + random.nextInt(Math.max(1, Math.min(4096, input.length / 2))));
    return insert(input, Arrays.copyOfRange(input, from, to));
  }

  private byte[] splice(byte[] a, byte[] b) {
    int cutA = a.length == 0 ? 0 : random.nextInt(a.length);
    int cutB = b.length == 0 ? 0 : random.nextInt(b.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(a, 0, cutA);
    out.write(b, cutB, b.length - cutB);
    return out.toByteArray();
  }

  /** Replaces the value after a random {@code :} or {@code ,} or {@code [} with a nasty one. */
  private byte[] replaceToken(byte[] input) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < input.length; i++) {
      if (input[i] == ':' || input[i] == ',' || input[i] == '[' || input[i] == '|') {
        starts.add(i + 1);
      }
    }
    if (starts.isEmpty()) {
      return insert(input, NASTY[random.nextInt(NASTY.length)].getBytes(StandardCharsets.UTF_8));
    }
    int start = starts.get(random.nextInt(starts.size()));
    int end = start;
    while (end < input.length
        && input[end] != ','
        && input[end] != '}'
        && input[end] != ']'
        && input[end] != '|') {
      end++;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(input, 0, start);
    byte[] nasty = NASTY[random.nextInt(NASTY.length)].getBytes(StandardCharsets.UTF_8);
    out.write(nasty, 0, nasty.length);
    out.write(input, end, input.length - end);
    return out.toByteArray();
  }

  /**
   * Parses the input as JSON and replaces a random value (or renames a key); other input is
   * flipped.
   */
  private byte[] jsonAware(byte[] input) {
    JsonElement root;
    try {
      root = JsonParser.parseString(new String(input, StandardCharsets.UTF_8));
    } catch (RuntimeException | StackOverflowError e) {
      return flip(input);
    }
    List<JsonElement> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) {
      return randomValue(0).toString().getBytes(StandardCharsets.UTF_8);
    }
    JsonElement container = containers.get(random.nextInt(containers.size()));
    if (container.isJsonObject()) {
      JsonObject object = container.getAsJsonObject();
      List<String> names = new ArrayList<>(object.keySet());
      if (names.isEmpty() || random.nextInt(5) == 0) {
        object.add(
            keys.isEmpty() ? "extra" : keys.get(random.nextInt(keys.size())), randomValue(0));
      } else {
        String name = names.get(random.nextInt(names.size()));
        if (random.nextInt(4) == 0) {
          JsonElement value = object.remove(name);
          if (random.nextBoolean()) {
            object.add(keys.isEmpty() ? name + "x" : keys.get(random.nextInt(keys.size())), value);
          }
        } else {
          object.add(name, randomValue(0));
        }
      }
    } else {
      JsonArray array = container.getAsJsonArray();
      if (array.isEmpty() || random.nextInt(4) == 0) {
        array.add(randomValue(0));
      } else {
        array.set(random.nextInt(array.size()), randomValue(0));
      }
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void collect(JsonElement element, List<JsonElement> out) {
    if (element.isJsonObject()) {
      out.add(element);
      for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
        collect(entry.getValue(), out);
      }
    } else if (element.isJsonArray()) {
      out.add(element);
      for (JsonElement item : element.getAsJsonArray()) {
        collect(item, out);
      }
    }
  }

  /** A value of a random JSON type. */
  public JsonElement randomValue(int depth) {
    switch (random.nextInt(depth > 3 ? 9 : 12)) {
      case 0:
        return JsonNull.INSTANCE;
      case 1:
        return new JsonPrimitive(random.nextBoolean());
      case 2:
        return new JsonPrimitive(new BigDecimal(NASTY[random.nextInt(7)]));
      case 3:
        return new JsonPrimitive(random.nextInt());
      case 4:
        return new JsonPrimitive(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
      case 5:
        return new JsonPrimitive("");
      case 6:
        return new JsonPrimitive(keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size())));
      case 7:
        return new JsonPrimitive("x".repeat(random.nextInt(3) == 0 ? 20_000 : 10));
      case 8:
        {
          byte[] noise = new byte[random.nextInt(20)];
          random.nextBytes(noise);
          return new JsonPrimitive(new String(noise, StandardCharsets.ISO_8859_1));
        }
      case 9:
        {
          JsonArray array = new JsonArray();
          for (int i = random.nextInt(4); i > 0; i--) {
            array.add(randomValue(depth + 1));
          }
          return array;
        }
      case 10:
        {
          JsonObject object = new JsonObject();
          for (int i = random.nextInt(4); i > 0; i--) {
            object.add(
                keys.isEmpty() ? "k" + i : keys.get(random.nextInt(keys.size())),
                randomValue(depth + 1));
          }
          return object;
        }
      default:
        {
          JsonElement deep = new JsonPrimitive(1);
          for (int i = 0; i < 150 + random.nextInt(200); i++) {
            JsonObject wrap = new JsonObject();
            wrap.add(keys.isEmpty() ? "a" : keys.get(random.nextInt(keys.size())), deep);
            deep = wrap;
          }
          return deep;
        }
    }
  }
}
