package io.compensa.host.testing;

import java.util.Map;
import org.slf4j.event.Level;

/** One log event the tests captured: logger, level, formatted message and key/value pairs. */
public record CapturedEvent(
    String logger, Level level, String message, Map<String, String> fields) {}
