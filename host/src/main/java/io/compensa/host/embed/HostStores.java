package io.compensa.host.embed;

import io.compensa.host.config.HostConfig;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateLockedException;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state store, journal and secrets store a command works with, chosen by the configured
 * "state": a file ({@link FileStateStore} and {@link FileJournal} beside it, secrets in the
 * configured secrets file, {@link FileSecretStore}) or a URL kept by a {@link StoreBackend} on the
 * class path (the PostgreSQL store keeps {@code postgresql://} URLs: state, journal and encrypted
 * secrets in the database, so that {@code recover} works from any machine that has the key).
 * Immutable; the stores are thread-safe.
 *
 * @param state the state store
 * @param journal the journal of that state
 * @param secrets where the sensitive output values of that state are kept
 * @param location where the state lives, for messages (passwords masked)
 */
public record HostStores(StateStore state, Journal journal, SecretStore secrets, String location) {
  private static final Pattern URL_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

  /**
   * The stores {@code host} configures; the secrets key comes from the environment or the
   * configuration ({@link SecretsKey#configured}).
   */
  public static HostStores of(HostConfig host) throws StateStoreException {
    SecretsKey key = SecretsKey.configured(host.secretsKeyFile(), System.getenv());
    if (host.stateDatabase().isPresent()) {
      return backendFor(host.stateDatabase().get())
          .open(host.stateDatabase().get(), host.statePasswordFile(), key);
    }
    return file(host.stateFile(), new FileSecretStore(host.secretsFile(), key));
  }

  /**
   * The state store and journal at {@code location}: {@code file:PATH} (or a bare path) or a URL a
   * {@link StoreBackend} keeps, such as a PostgreSQL URL, as the {@code state migrate} options name
   * them. {@code state migrate} moves no secrets: the secrets store these carry has no key (for a
   * file state, it is a file beside the state, {@code STATE.secrets.json}).
   */
  public static HostStores at(String location, Optional<Path> passwordFile)
      throws StateStoreException {
    if (URL_SCHEME.matcher(location).find()) {
      return backendFor(location).open(location, passwordFile, SecretsKey.none());
    }
    Path file =
        Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    return file(
        file, new FileSecretStore(file.resolveSibling(file.getFileName() + ".secrets.json")));
  }

  /**
   * Refuses, naming the command to run, when an earlier apply of this state did not finish and no
   * host is applying it now: a plan or apply made then would start from a state that {@code
   * compensa recover} is about to change. While another host holds the state's lock its journal is
   * unfinished by design, so that is no refusal here (the apply waits for, or is refused by, the
   * lock as before). Takes the lock only when the journal is unfinished.
   *
   * @throws io.compensa.host.journal.UnfinishedApplyException when recover must run first
   */
  public void ensureNoApplyToRecover(String purpose) throws StateStoreException, JournalException {
    if (journal.unfinished().isEmpty()) {
      return;
    }
    try (StateLock lock = state.lock(purpose)) {
      journal.ensureFinished();
    } catch (StateLockedException applying) {
      // a live apply holds the state: its journal is its own, not one to recover
    }
  }

  /** The same stores, with a state lock that waits up to {@code timeout}. */
  public HostStores waitingForLock(Duration timeout) {
    return new HostStores(StateStore.waitingForLock(state, timeout), journal, secrets, location);
  }

  private static HostStores file(Path file, SecretStore secrets) {
    return new HostStores(
        new FileStateStore(file), new FileJournal(file), secrets, file.toAbsolutePath().toString());
  }

  private static StoreBackend backendFor(String url) throws StateStoreException {
    for (StoreBackend backend :
        ServiceLoader.load(StoreBackend.class, HostStores.class.getClassLoader())) {
      if (backend.accepts(url)) {
        return backend;
      }
    }
    Matcher scheme = URL_SCHEME.matcher(url);
    String name = scheme.find() ? scheme.group(1) : url;
    String hint =
        name.startsWith("postgres")
            ? "add the module io.compensa:compensa-store-postgres (the compensa CLI includes it) to the class path"
            : "use a file path, or a postgresql:// URL with io.compensa:compensa-store-postgres on the class path";
    throw new StateStoreException(
        "no state store on the class path keeps \"" + name + "://\" states: " + hint);
  }
}
