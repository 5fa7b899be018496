package com.example.notes;

import io.compensa.sdk.*;
import java.util.Map;

public final class NotesPlugin {
  public static void main(String[] args) {
    CompensaPlugin.builder().name("notes").version("0.1.0")
        .resource(ResourceType.builder("note").sampleConfig(Map.of("text", "hello")).build(), NoteDriver::new)
        .build().serve();
  }
}
