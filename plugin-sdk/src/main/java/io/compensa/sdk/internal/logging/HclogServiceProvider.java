package io.compensa.sdk.internal.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider the SDK ships, so plugin code that calls {@code LoggerFactory.getLogger}
 * writes go-plugin's JSON log lines on stderr.
 *
 * <p>Registered in {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}. A plugin that puts
 * another SLF4J provider on its classpath gets SLF4J's "multiple providers" warning and whichever
 * SLF4J picks. Thread-safe after {@link #initialize()}.
 */
public final class HclogServiceProvider implements SLF4JServiceProvider {

  /** SLF4J's system property that names its provider, instead of a service-loader search. */
  static final String PROVIDER_PROPERTY = "slf4j.provider";

  /** SLF4J's system property for the level of its own messages on stderr. */
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  private ILoggerFactory loggerFactory;
  private IMarkerFactory markerFactory;
  private MDCAdapter mdcAdapter;

  /**
   * Names this provider to SLF4J before its first logger: SLF4J then loads it directly instead of
   * searching the class path with a {@link java.util.ServiceLoader}: SLF4J's first logger took 8-10
   * ms of a plugin's main thread, 1-2 ms with the name; part of that moves to the JDK's own first
   * service lookup (java.util.logging's set-up), and the main thread's CPU until the handshake is
   * ~4 ms (3%) lower. Without the search SLF4J announces the provider it was given in an
   * informational line on stderr; its own messages are kept to warnings and errors, as a plugin's
   * stderr had before. Settings the JVM was given ({@code -Dslf4j.provider=...}, {@code
   * -Dslf4j.internal.verbosity=...}) stay as they are. Call it before anything asks SLF4J for a
   * logger; later, it changes nothing. On the module path (the SDK a named module, its package not
   * exported to SLF4J) the service loader stays, as SLF4J could not make the provider itself.
   */
  public static void nameToSlf4j() {
    if (!HclogServiceProvider.class.getModule().isNamed()
        && System.getProperty(PROVIDER_PROPERTY) == null) {
      System.setProperty(PROVIDER_PROPERTY, HclogServiceProvider.class.getName());
      if (System.getProperty(VERBOSITY_PROPERTY) == null) {
        System.setProperty(VERBOSITY_PROPERTY, "WARN");
      }
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggerFactory = new HclogLoggerFactory();
    markerFactory = new BasicMarkerFactory();
    mdcAdapter = new NOPMDCAdapter();
  }
}
