package io.compensa.host.cli;

import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a manifest for people: the plugin's identity, then a table of its resource types with
 * their operations and the compensation policy of each action kind. Stateless and thread-safe.
 */
final class ManifestText {
  private static final List<String> HEADER =
      List.of("TYPE", "OPERATIONS", "ON CREATE", "ON UPDATE", "ON DELETE", "DESCRIPTION");

  private ManifestText() {}

  static String render(Manifest manifest) {
    StringBuilder text = new StringBuilder();
    text.append("Plugin:        ").append(manifest.getName()).append('\n');
    text.append("Version:       ").append(orDash(manifest.getVersion())).append('\n');
    text.append("Contract:      ").append(orDash(manifest.getContractVersion())).append('\n');
    text.append("Capabilities:  ").append(capabilities(manifest)).append('\n');
    text.append('\n').append("Resource types (compensation of each action kind):").append('\n');
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ResourceType type : manifest.getResourceTypesList()) {
      rows.add(
          List.of(
              type.getName(),
              operations(type),
              policy(type.getCompensation().getCreate()),
              policy(type.getCompensation().getUpdate()),
              policy(type.getCompensation().getDelete()),
              type.getDescription()));
    }
    appendTable(text, rows);
    return text.toString();
  }

  private static void appendTable(StringBuilder text, List<List<String>> rows) {
    int columns = HEADER.size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        line.append(row.get(i));
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String capabilities(Manifest manifest) {
    if (manifest.getCapabilitiesCount() == 0) {
      return "none";
    }
    return manifest.getCapabilitiesList().stream()
        .map(ManifestText::capability)
        .collect(Collectors.joining(", "));
  }

  private static String capability(PluginCapability capability) {
    return switch (capability) {
      case PLUGIN_CAPABILITY_FINALIZER -> "finalizer (FinalizerService)";
      case PLUGIN_CAPABILITY_COMPENSABLE -> "compensable (CompensableService)";
      default -> capability.name();
    };
  }

  private static String operations(ResourceType type) {
    return type.getOperationsList().stream()
        .map(operation -> lower(operation.name(), "OPERATION_"))
        .collect(Collectors.joining(","));
  }

  private static String policy(CompensationPolicy policy) {
    return switch (policy) {
      case COMPENSATION_POLICY_UNSPECIFIED -> "none (unset)";
      case COMPENSATION_POLICY_NONE -> "none";
      case COMPENSATION_POLICY_HOST_INVERSE -> "host-inverse";
      case COMPENSATION_POLICY_PLUGIN -> "plugin";
      default -> policy.name();
    };
  }

  private static String lower(String name, String prefix) {
    return name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
