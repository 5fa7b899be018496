package io.compensa.host.journal;

import com.google.protobuf.ListValue;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalCall;
import io.compensa.proto.v1.JournalHookFailure;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.JournalState;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import java.util.Map;

/**
 * Prints the journal's records (the begin record with its plan, a call, an outcome, a state record,
 * a hook failure, a finalization, the completion) exactly as {@code
 * JsonFormat.printer().omittingInsignificantWhitespace()} prints them, character for character,
 * without its reflection: that printer was most of the CPU a 100,000-action apply spent per action.
 * Fields are printed as JsonFormat prints them: by field number, proto3 defaults left out, messages
 * when present, strings escaped as Gson escapes them (HTML-safe). What this class does not print
 * itself (a hook start, a compensation detail, a command hook, a deposed object) goes through the
 * caller's JsonFormat printer, and a record it cannot print as JsonFormat would (an enum number
 * this build does not know, a Value without a kind or with a NaN) makes it return {@code false}:
 * the journal's text, and its reader, stay as they were. The state file's records and outcomes come
 * from here too, made pretty ({@link #pretty(ResourceState)}).
 */
public final class JournalJson {
  /**
   * Whether the messages printed here still have the fields this class knows, by number; a field
   * added to the schema later makes every record go through JsonFormat until this class prints it.
   */
  public static final boolean CURRENT =
      fields(JournalRecord.getDescriptor(), 8)
          && fields(JournalCall.getDescriptor(), 6)
          && fields(JournalHookFailure.getDescriptor(), 2)
          && fields(JournalOutcome.getDescriptor(), 2)
          && fields(JournalState.getDescriptor(), 2)
          && fields(io.compensa.proto.v1.JournalFinalized.getDescriptor(), 1)
          && fields(io.compensa.proto.v1.JournalComplete.getDescriptor(), 0)
          && fields(ActionOutcome.getDescriptor(), 13)
          && fields(ResourceState.getDescriptor(), 9)
          && fields(ResourceOutput.getDescriptor(), 3)
          && fields(JournalBegin.getDescriptor(), 7)
          && fields(Plan.getDescriptor(), 4)
          && fields(PlanAction.getDescriptor(), 7)
          && fields(ResourceSpec.getDescriptor(), 4)
          && fields(io.compensa.proto.v1.StateSnapshot.getDescriptor(), 5)
          && fields(io.compensa.proto.v1.FinishedApply.getDescriptor(), 3);

  private JournalJson() {}

  private static boolean fields(com.google.protobuf.Descriptors.Descriptor message, int count) {
    java.util.List<com.google.protobuf.Descriptors.FieldDescriptor> fields = message.getFields();
    if (fields.size() != count) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (fields.get(i).getNumber() != i + 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code resource} as {@code JsonFormat.printer().print(resource)} prints it (pretty, two spaces
   * of indentation), or empty when JsonFormat must print it: the state file's records.
   */
  public static java.util.Optional<String> pretty(ResourceState resource) {
    StringBuilder compact = new StringBuilder(256);
    if (!CURRENT || !resource(resource, compact, JournalLines::printWithJsonFormat)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(pretty(compact));
  }

  /**
   * {@code outcome} as {@code JsonFormat.printer().print(outcome)} prints it, or empty when
   * JsonFormat must print it: the state file's finished apply.
   */
  public static java.util.Optional<String> pretty(ActionOutcome outcome) {
    StringBuilder compact = new StringBuilder(256);
    if (!CURRENT || !actionOutcome(outcome, compact, JournalLines::printWithJsonFormat)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(pretty(compact));
  }

  /** {@code text} as a JSON string, quoted and escaped as JsonFormat prints strings. */
  public static String quote(String text) {
    return quoted(new StringBuilder(text.length() + 2), text).toString();
  }

  /**
   * JsonFormat's pretty text of the JSON JsonFormat printed compactly as {@code compact}: objects
   * open a line per field, indented by two spaces a level, an empty object is "{", a newline and
   * "}"; arrays stay on one line, their elements after ", "; a field's name is followed by ": ".
   */
  static String pretty(CharSequence compact) {
    StringBuilder out = new StringBuilder(compact.length() + compact.length() / 2);
    java.util.BitSet inArray = new java.util.BitSet();
    int depth = 0; // of objects and arrays
    int indent = 0; // objects only
    boolean lineStart = false;
    int length = compact.length();
    for (int i = 0; i < length; i++) {
      char c = compact.charAt(i);
      if (c == '"') {
        // a string, copied as it is up to its closing quote
        int end = i + 1;
        while (compact.charAt(end) != '"') {
          end += compact.charAt(end) == '\\' ? 2 : 1;
        }
        lineStart = indent(out, lineStart, indent);
        out.append(compact, i, end + 1);
        i = end;
        continue;
      }
      switch (c) {
        case '{' -> {
          lineStart = indent(out, lineStart, indent);
          out.append('{').append('\n');
          lineStart = true;
          depth++;
          inArray.clear(depth);
          indent++;
        }
        case '}' -> {
          indent--;
          depth--;
          if (!lineStart) {
            out.append('\n');
            lineStart = true;
          }
          lineStart = indent(out, lineStart, indent);
          out.append('}');
        }
        case '[' -> {
          lineStart = indent(out, lineStart, indent);
          out.append('[');
          depth++;
          inArray.set(depth);
        }
        case ']' -> {
          out.append(']');
          depth--;
        }
        case ',' -> {
          if (inArray.get(depth)) {
            out.append(", ");
          } else {
            out.append(",\n");
            lineStart = true;
          }
        }
        case ':' -> out.append(": ");
        default -> {
          lineStart = indent(out, lineStart, indent);
          out.append(c);
        }
      }
    }
    return out.toString();
  }

  private static boolean indent(StringBuilder out, boolean lineStart, int indent) {
    if (lineStart) {
      for (int i = 0; i < indent; i++) {
        out.append("  ");
      }
    }
    return false;
  }

  /** A message this class leaves to JsonFormat. */
  interface Fallback {
    /** JsonFormat's compact text of {@code message}. */
    String print(com.google.protobuf.MessageOrBuilder message);
  }

  /**
   * Appends {@code record}'s JSON to {@code out} and returns true, or returns false (and appends
   * nothing worth keeping) when JsonFormat must print it.
   */
  static boolean print(JournalRecord record, StringBuilder out, Fallback fallback) {
    if (!CURRENT) {
      return false;
    }
    switch (record.getRecordCase()) {
      case CALL -> {
        out.append("{\"call\":");
        if (!call(record.getCall(), out)) {
          return false;
        }
      }
      case OUTCOME -> {
        out.append("{\"outcome\":");
        if (!outcome(record.getOutcome(), out, fallback)) {
          return false;
        }
      }
      case STATE -> {
        out.append("{\"state\":");
        if (!state(record.getState(), out, fallback)) {
          return false;
        }
      }
      case HOOK_FAILURE -> {
        JournalHookFailure failure = record.getHookFailure();
        out.append("{\"hookFailure\":{");
        boolean any = string(out, false, "actionId", failure.getActionId());
        string(out, any, "error", failure.getError());
        out.append('}');
      }
      case FINALIZED -> {
        out.append("{\"finalized\":{");
        string(out, false, "plugin", record.getFinalized().getPlugin());
        out.append('}');
      }
      case COMPLETE -> out.append("{\"complete\":{}");
      case BEGIN -> {
        out.append("{\"begin\":");
        if (!begin(record.getBegin(), out, fallback)) {
          return false;
        }
      }
      default -> {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean begin(JournalBegin begin, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = false;
    if (begin.hasPlan()) {
      if (!plan(begin.getPlan(), name(out, false, "plan"), fallback)) {
        return false;
      }
      any = true;
    }
    any = string(out, any, "failurePolicy", begin.getFailurePolicy());
    any = string(out, any, "holder", begin.getHolder());
    any = string(out, any, "startedAt", begin.getStartedAt());
    any = int64(out, any, "hostPid", begin.getHostPid());
    any = string(out, any, "hostName", begin.getHostName());
    if (begin.getPluginPidsCount() > 0) {
      name(out, any, "pluginPids").append('[');
      for (int i = 0; i < begin.getPluginPidsCount(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append('"').append(begin.getPluginPids(i)).append('"');
      }
      out.append(']');
    }
    out.append('}');
    return true;
  }

  private static boolean plan(Plan plan, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = string(out, false, "id", plan.getId());
    if (plan.getActionsCount() > 0) {
      name(out, any, "actions").append('[');
      for (int i = 0; i < plan.getActionsCount(); i++) {
        if (i > 0) {
          out.append(',');
        }
        if (!action(plan.getActions(i), out, fallback)) {
          return false;
        }
      }
      out.append(']');
      any = true;
    }
    any = string(out, any, "baseLineage", plan.getBaseLineage());
    int64(out, any, "baseSerial", plan.getBaseSerial());
    out.append('}');
    return true;
  }

  private static boolean action(PlanAction action, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = string(out, false, "id", action.getId());
    if (action.getKindValue() != 0) {
      if (!enumValue(name(out, any, "kind"), ActionKind.forNumber(action.getKindValue()))) {
        return false;
      }
      any = true;
    }
    if (action.hasResource()) {
      ResourceSpec spec = action.getResource();
      name(out, any, "resource").append('{');
      boolean inner = string(out, false, "name", spec.getName());
      inner = string(out, inner, "type", spec.getType());
      if (spec.hasConfig()) {
        if (!struct(spec.getConfig(), name(out, inner, "config"))) {
          return false;
        }
        inner = true;
      }
      if (spec.getDependsOnCount() > 0) {
        strings(name(out, inner, "dependsOn"), spec.getDependsOnList());
      }
      out.append('}');
      any = true;
    }
    if (action.hasCurrent()) {
      if (!resource(action.getCurrent(), name(out, any, "current"), fallback)) {
        return false;
      }
      any = true;
    }
    if (action.getCommandHooksCount() > 0) {
      name(out, any, "commandHooks").append('[');
      for (int i = 0; i < action.getCommandHooksCount(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(fallback.print(action.getCommandHooks(i)));
      }
      out.append(']');
      any = true;
    }
    any = string(out, any, "drift", action.getDrift());
    if (action.hasObservedConfig()) {
      if (!struct(action.getObservedConfig(), name(out, any, "observedConfig"))) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  /** Appends an int64 field as JsonFormat does, quoted, unless it is 0. */
  private static boolean int64(StringBuilder out, boolean any, String name, long value) {
    if (value == 0) {
      return any;
    }
    name(out, any, name).append('"').append(value).append('"');
    return true;
  }

  private static boolean call(JournalCall call, StringBuilder out) {
    out.append('{');
    boolean any = string(out, false, "actionId", call.getActionId());
    any = string(out, any, "call", call.getCall());
    if (call.getAttempt() != 0) {
      name(out, any, "attempt").append(Integer.toUnsignedString(call.getAttempt()));
      any = true;
    }
    if (call.getPhaseValue() != 0) {
      if (!enumValue(name(out, any, "phase"), JournalCall.Phase.forNumber(call.getPhaseValue()))) {
        return false;
      }
      any = true;
    }
    any = string(out, any, "message", call.getMessage());
    if (call.hasOutput()) {
      if (!output(call.getOutput(), name(out, any, "output"))) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean outcome(JournalOutcome entry, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = false;
    if (entry.hasOutcome()) {
      if (!actionOutcome(entry.getOutcome(), name(out, false, "outcome"), fallback)) {
        return false;
      }
      any = true;
    }
    if (entry.hasRecord()) {
      if (!resource(entry.getRecord(), name(out, any, "record"), fallback)) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean state(JournalState entry, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = string(out, false, "resourceName", entry.getResourceName());
    if (entry.hasRecord()) {
      if (!resource(entry.getRecord(), name(out, any, "record"), fallback)) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean actionOutcome(ActionOutcome o, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = string(out, false, "actionId", o.getActionId());
    any = string(out, any, "resourceName", o.getResourceName());
    if (o.getKindValue() != 0) {
      if (!enumValue(name(out, any, "kind"), ActionKind.forNumber(o.getKindValue()))) {
        return false;
      }
      any = true;
    }
    if (o.getStatusValue() != 0) {
      if (!enumValue(name(out, any, "status"), ActionStatus.forNumber(o.getStatusValue()))) {
        return false;
      }
      any = true;
    }
    if (o.hasDriverOutput()) {
      if (!output(o.getDriverOutput(), name(out, any, "driverOutput"))) {
        return false;
      }
      any = true;
    }
    any = string(out, any, "driverError", o.getDriverError());
    any = string(out, any, "hookError", o.getHookError());
    if (o.hasCompensation()) {
      name(out, any, "compensation").append(fallback.print(o.getCompensation()));
      any = true;
    }
    any = string(out, any, "skipReason", o.getSkipReason());
    if (o.hasPrior()) {
      if (!resource(o.getPrior(), name(out, any, "prior"), fallback)) {
        return false;
      }
      any = true;
    }
    if (o.getRecovered()) {
      name(out, any, "recovered").append("true");
      any = true;
    }
    any = string(out, any, "startedAt", o.getStartedAt());
    string(out, any, "finishedAt", o.getFinishedAt());
    out.append('}');
    return true;
  }

  private static boolean resource(ResourceState r, StringBuilder out, Fallback fallback) {
    out.append('{');
    boolean any = string(out, false, "name", r.getName());
    any = string(out, any, "type", r.getType());
    if (r.hasConfig()) {
      if (!struct(r.getConfig(), name(out, any, "config"))) {
        return false;
      }
      any = true;
    }
    if (r.hasOutput()) {
      if (!output(r.getOutput(), name(out, any, "output"))) {
        return false;
      }
      any = true;
    }
    if (r.getDependsOnCount() > 0) {
      strings(name(out, any, "dependsOn"), r.getDependsOnList());
      any = true;
    }
    if (r.getTainted()) {
      name(out, any, "tainted").append("true");
      any = true;
    }
    if (r.getNeedsAttention()) {
      name(out, any, "needsAttention").append("true");
      any = true;
    }
    any = string(out, any, "attentionReason", r.getAttentionReason());
    if (r.getDeposedCount() > 0) {
      name(out, any, "deposed").append('[');
      for (int i = 0; i < r.getDeposedCount(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(fallback.print(r.getDeposed(i)));
      }
      out.append(']');
    }
    out.append('}');
    return true;
  }

  private static boolean output(ResourceOutput o, StringBuilder out) {
    out.append('{');
    boolean any = string(out, false, "providerId", o.getProviderId());
    if (o.hasOutputs()) {
      if (!struct(o.getOutputs(), name(out, any, "outputs"))) {
        return false;
      }
      any = true;
    }
    if (o.getSensitiveKeysCount() > 0) {
      strings(name(out, any, "sensitiveKeys"), o.getSensitiveKeysList());
    }
    out.append('}');
    return true;
  }

  private static boolean struct(Struct struct, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quoted(out, field.getKey()).append(':');
      if (!value(field.getValue(), out)) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean value(Value value, StringBuilder out) {
    switch (value.getKindCase()) {
      case NULL_VALUE -> out.append("null");
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case STRING_VALUE -> quoted(out, value.getStringValue());
      case NUMBER_VALUE -> {
        double number = value.getNumberValue();
        if (Double.isNaN(number) || Double.isInfinite(number)) {
          return false;
        }
        out.append(Double.toString(number));
      }
      case STRUCT_VALUE -> {
        return struct(value.getStructValue(), out);
      }
      case LIST_VALUE -> {
        ListValue list = value.getListValue();
        out.append('[');
        for (int i = 0; i < list.getValuesCount(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!value(list.getValues(i), out)) {
            return false;
          }
        }
        out.append(']');
      }
      default -> {
        return false; // no kind: JsonFormat decides what that is
      }
    }
    return true;
  }

  /** Appends {@code "name":"value"} (after a comma when {@code any}) unless value is empty. */
  private static boolean string(StringBuilder out, boolean any, String name, String value) {
    if (value.isEmpty()) {
      return any;
    }
    quoted(name(out, any, name), value);
    return true;
  }

  private static void strings(StringBuilder out, java.util.List<String> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      quoted(out, values.get(i));
    }
    out.append(']');
  }

  private static boolean enumValue(StringBuilder out, ProtocolMessageEnum value) {
    if (value == null) {
      return false; // an unknown number: JsonFormat prints the number
    }
    out.append('"').append(value.getValueDescriptor().getName()).append('"');
    return true;
  }

  private static StringBuilder name(StringBuilder out, boolean any, String name) {
    if (any) {
      out.append(',');
    }
    return out.append('"').append(name).append("\":");
  }

  /** Appends {@code text} quoted and escaped as Gson's default (HTML-safe) writer does. */
  static StringBuilder quoted(StringBuilder out, String text) {
    out.append('"');
    int length = text.length();
    int plain = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      String escaped;
      if (c < 0x20) {
        escaped =
            switch (c) {
              case '\t' -> "\\t";
              case '\b' -> "\\b";
              case '\n' -> "\\n";
              case '\r' -> "\\r";
              case '\f' -> "\\f";
              default -> String.format("\\u%04x", (int) c);
            };
      } else if (c == '"') {
        escaped = "\\\"";
      } else if (c == '\\') {
        escaped = "\\\\";
      } else if (c == '<') {
        escaped = "\\u003c";
      } else if (c == '>') {
        escaped = "\\u003e";
      } else if (c == '&') {
        escaped = "\\u0026";
      } else if (c == '=') {
        escaped = "\\u003d";
      } else if (c == '\'') {
        escaped = "\\u0027";
      } else if (c == '\u2028') {
        escaped = "\\u2028";
      } else if (c == '\u2029') {
        escaped = "\\u2029";
      } else {
        continue;
      }
      out.append(text, plain, i).append(escaped);
      plain = i + 1;
    }
    return out.append(text, plain, length).append('"');
  }
}
