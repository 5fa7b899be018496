package io.compensa.host.store.postgres;

import io.compensa.host.state.StateStoreException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Where a PostgreSQL state lives and how to log in, from a URL such as {@code
 * postgresql://db.example.com:5432/compensa?state=prod&sslmode=verify-full}.
 *
 * <p>{@code state} (default {@code default}) names the state within the database, which may hold
 * several; other query parameters go to pgjdbc as they are. The user comes from the URL ({@code
 * postgresql://alice@host/db}), else {@code PGUSER}, else the operating-system user. The password
 * comes from {@code COMPENSA_PG_PASSWORD}, else {@code PGPASSWORD}, else the password file named in
 * the configuration (readable by its owner only), else the URL (discouraged: it is masked wherever
 * the URL is shown). The password is never part of {@link #toString()} or any message. Immutable.
 */
public final class PostgresSettings {
  /** The state name used when the URL names none. */
  public static final String DEFAULT_STATE = "default";

  private final String jdbcUrl;
  private final String displayUrl;
  private final String user;
  private final String password;
  private final String state;

  private PostgresSettings(
      String jdbcUrl, String displayUrl, String user, String password, String state) {
    this.jdbcUrl = jdbcUrl;
    this.displayUrl = displayUrl;
    this.user = user;
    this.password = password;
    this.state = state;
  }

  /**
   * Whether {@code location} (a configured "state") names a PostgreSQL database rather than a file.
   */
  public static boolean isPostgresUrl(String location) {
    return location.startsWith("postgresql://") || location.startsWith("postgres://");
  }

  /** Settings from {@code url}, the process environment and the optional password file. */
  public static PostgresSettings of(String url, Optional<Path> passwordFile)
      throws StateStoreException {
    return of(url, passwordFile, System.getenv());
  }

  /** Settings from {@code url}, {@code env} and the optional password file. */
  public static PostgresSettings of(
      String url, Optional<Path> passwordFile, Map<String, String> env) throws StateStoreException {
    if (!isPostgresUrl(url)) {
      throw new StateStoreException(
          "not a PostgreSQL URL: " + mask(url) + " (expected postgresql://HOST[:PORT]/DATABASE)");
    }
    URI uri;
    try {
      uri = new URI(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
    } catch (URISyntaxException e) {
      throw new StateStoreException(
          "the PostgreSQL URL " + mask(url) + " is malformed: " + e.getReason());
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new StateStoreException(
          "the PostgreSQL URL "
              + mask(url)
              + " must name a host and a database: postgresql://HOST[:PORT]/DATABASE[?state=NAME]");
    }
    String urlUser = null;
    String urlPassword = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      urlUser = decode(parts[0]);
      urlPassword = parts.length > 1 ? decode(parts[1]) : null;
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    String state =
        Optional.ofNullable(query.remove("state")).filter(s -> !s.isBlank()).orElse(DEFAULT_STATE);
    if (query.containsKey("password") || query.containsKey("user")) {
      throw new StateStoreException(
          "the PostgreSQL URL "
              + mask(url)
              + " carries user or password parameters: put the"
              + " user in the URL (postgresql://USER@HOST/DB) or PGUSER, and the password in COMPENSA_PG_PASSWORD,"
              + " PGPASSWORD or a password file");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(uri.getRawPath());
    StringBuilder shownQuery = new StringBuilder();
    if (!query.isEmpty()) {
      String rest = uri.getRawQuery().replaceAll("(^|&)state=[^&]*", "").replaceFirst("^&", "");
      if (!rest.isEmpty()) {
        jdbc.append('?').append(rest);
      }
    }
    String user =
        Optional.ofNullable(urlUser)
            .filter(u -> !u.isEmpty())
            .or(() -> Optional.ofNullable(env.get("PGUSER")).filter(u -> !u.isEmpty()))
            .orElse(System.getProperty("user.name"));
    String password =
        Optional.ofNullable(env.get("COMPENSA_PG_PASSWORD"))
            .filter(p -> !p.isEmpty())
            .or(() -> Optional.ofNullable(env.get("PGPASSWORD")).filter(p -> !p.isEmpty()))
            .orElse(null);
    if (password == null && passwordFile.isPresent()) {
      password = readPasswordFile(passwordFile.get());
    }
    if (password == null) {
      password = urlPassword;
    }
    shownQuery.append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String shown =
        "postgresql://"
            + (urlUser == null ? "" : urlUser + (urlPassword == null ? "" : ":***") + "@")
            + uri.getHost()
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + uri.getRawPath()
            + shownQuery;
    return new PostgresSettings(jdbc.toString(), shown, user, password, state);
  }

  private static String readPasswordFile(Path file) throws StateStoreException {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      for (PosixFilePermission open :
          Set.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE,
              PosixFilePermission.OTHERS_EXECUTE)) {
        if (mode.contains(open)) {
          throw new StateStoreException(
              "the PostgreSQL password file "
                  + file
                  + " is readable by others (mode "
                  + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                  + "): run chmod 600 "
                  + file);
        }
      }
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new StateStoreException("the PostgreSQL password file " + file + " is empty");
      }
      return text;
    } catch (UnsupportedOperationException e) {
      throw new StateStoreException(
          "cannot check the mode of the PostgreSQL password file "
              + file
              + ": keep it on a POSIX file system");
    } catch (IOException e) {
      throw new StateStoreException(
          "cannot read the PostgreSQL password file " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code url} with any password replaced by {@code ***}: safe to show. */
  public static String mask(String url) {
    return url.replaceAll("(://[^:/@?#]*):[^@/?#]*@", "$1:***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** pgjdbc's URL, without the {@code state} parameter or any credentials. */
  String jdbcUrl() {
    return jdbcUrl;
  }

  /** The connection properties for pgjdbc, credentials included. */
  Properties connectionProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "compensa");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("connectTimeout", "10");
    return properties;
  }

  /** The state's name within the database. */
  public String state() {
    return state;
  }

  /** The user name. */
  public String user() {
    return user;
  }

  /** The URL as shown to people: any password masked. */
  public String displayUrl() {
    return displayUrl;
  }

  /** Names the database and state; never the password. */
  @Override
  public String toString() {
    return "state \"" + state + "\" in " + displayUrl;
  }
}
