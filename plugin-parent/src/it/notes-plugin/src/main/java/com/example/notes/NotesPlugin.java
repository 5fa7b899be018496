package com.example.notes;

import io.compensa.sdk.*;
import java.util.Map;

public final class NotesPlugin {
  public static void main(String[] args) {
    CompensaPlugin.builder().name("notes").version("0.1.0")
        .resource(ResourceType.builder("note")
                .compensateCreate(CompensationPolicy.HOST_INVERSE)  // the host deletes what was created
                .compensateUpdate(CompensationPolicy.HOST_INVERSE)  // the host updates back
                .sampleConfig(Map.of("text", "hello"))              // a delete stays NONE: not undone
                .build(),
            NoteDriver::new)
        .build().serve();
  }
}
