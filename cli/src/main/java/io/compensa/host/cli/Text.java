package io.compensa.host.cli;

import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the CLI writes statuses, kinds and outcome details for people. Stateless. */
final class Text {
  private Text() {}

  static String kind(ActionKind kind) {
    return kind.name().substring("ACTION_KIND_".length()).toLowerCase(Locale.ROOT);
  }

  static String status(ActionStatus status) {
    return status.name().substring("ACTION_STATUS_".length());
  }

  /** The outcome's story in one line: errors, hook failure, compensation, skip reason. */
  static String detail(ActionOutcome outcome) {
    List<String> parts = new ArrayList<>();
    if (!outcome.getDriverError().isEmpty()) {
      parts.add("driver: " + outcome.getDriverError());
    }
    if (!outcome.getHookError().isEmpty()) {
      parts.add(outcome.getHookError());
    }
    if (outcome.hasCompensation()) {
      String who =
          outcome
              .getCompensation()
              .getCompensator()
              .name()
              .replace("COMPENSATOR_", "")
              .toLowerCase(Locale.ROOT);
      parts.add(
          "compensation ("
              + who
              + (outcome.getCompensation().getCall().isEmpty()
                  ? ""
                  : " " + outcome.getCompensation().getCall())
              + "): "
              + outcome.getCompensation().getDetail());
    }
    if (!outcome.getSkipReason().isEmpty()) {
      parts.add(outcome.getSkipReason());
    }
    return String.join("; ", parts);
  }

  /** Rows of columns, padded so they line up. */
  static String table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size() - 1; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        out.append(
            i == row.size() - 1
                ? cell
                : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", cell));
      }
      out.append(System.lineSeparator());
    }
    return out.toString();
  }
}
