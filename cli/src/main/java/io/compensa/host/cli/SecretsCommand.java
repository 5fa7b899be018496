package io.compensa.host.cli;

import io.compensa.host.config.HostConfig;
import io.compensa.host.embed.HostStores;
import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa secrets keygen|rotate|show}: the team's secrets key and the values it encrypts.
 * The key is never an argument: keygen writes a new key file, and the other commands take the key
 * from the environment or the configuration ({@link SecretsKey}).
 */
@Command(
    name = "secrets",
    mixinStandardHelpOptions = true,
    description = "Make or rotate the team's secrets key, or show a stored secret.",
    subcommands = {
      SecretsCommand.KeygenCommand.class,
      SecretsCommand.RotateCommand.class,
      SecretsCommand.ShowCommand.class
    })
final class SecretsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a secrets command: keygen FILE, rotate or show REFERENCE");
  }

  /** {@code secrets keygen FILE}. */
  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description =
          "Write a new secrets key (a Tink AES256_GCM keyset, JSON) to FILE, readable by its owner"
              + " only; an existing file is never replaced.")
  static final class KeygenCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The key file to create.")
    Path file;

    @Override
    public Integer call() throws Exception {
      TeamKeyset keyset = TeamKeyset.generate();
      keyset.writeTo(file, false);
      spec.commandLine()
          .getOut()
          .println(
              "wrote a new secrets key (key id "
                  + Integer.toUnsignedString(keyset.primaryKeyId())
                  + ") to "
                  + file.toAbsolutePath()
                  + " (mode 600): give it to the team's hosts by \"secrets_key_file\" in"
                  + " compensa.json or "
                  + SecretsKey.KEY_FILE_ENV
                  + "; keep it out of version control, and back it up: without it the secrets"
                  + " cannot be read");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code secrets rotate}. */
  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Add a new primary key to the key file, re-encrypt every stored secret of the"
              + " configured state under it, then drop the old keys no stored secret uses.")
  static final class RotateCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
      HostConfig host = config.read();
      SecretsKey key = SecretsKey.configured(host.secretsKeyFile(), System.getenv());
      if (!key.isConfigured()) {
        throw new SecretStoreException(
            "nothing to rotate: no secrets key is configured: " + SecretsKey.howToConfigure());
      }
      Path file =
          key.file()
              .orElseThrow(
                  () ->
                      new SecretStoreException(
                          "cannot rotate "
                              + key.source()
                              + ": rotation writes the new key to the key file; put the keyset"
                              + " in a file (mode 600), name it by "
                              + SecretsKey.KEY_FILE_ENV
                              + " or \"secrets_key_file\", unset "
                              + SecretsKey.KEY_ENV
                              + " and rotate again"));
      TeamKeyset rotated = key.keyset().withNewPrimary();
      // the old keys stay in the file until every value is re-encrypted: a rotation that stops
      // half-way leaves values that the file still decrypts
      rotated.writeTo(file, true);
      HostStores stores = HostStores.of(host);
      SecretStore secrets = stores.secrets();
      int count;
      try {
        count = secrets.reencrypt();
      } catch (SecretStoreException e) {
        throw new SecretStoreException(
            e.getMessage()
                + ". Nothing was re-encrypted; "
                + file
                + " now holds a new primary key and the old ones, so everything stored still"
                + " decrypts: fix the problem and run `compensa secrets rotate` again",
            e);
      }
      Set<Integer> inUse = secrets.keyIdsInUse();
      TeamKeyset kept = rotated.keepingOnly(inUse);
      kept.writeTo(file, true);
      Set<Integer> dropped = new TreeSet<>(rotated.keyIds());
      dropped.removeAll(kept.keyIds());
      Set<Integer> old = new TreeSet<>(kept.keyIds());
      old.remove(kept.primaryKeyId());
      spec.commandLine()
          .getOut()
          .println(
              "re-encrypted "
                  + count
                  + " secret(s) in "
                  + secrets.location()
                  + " under the new key id "
                  + Integer.toUnsignedString(kept.primaryKeyId())
                  + "; dropped old key id(s) "
                  + ids(dropped)
                  + " from "
                  + file
                  + (old.isEmpty()
                      ? ""
                      : "; kept old key id(s) "
                          + ids(old)
                          + ", which secrets of other states in the same database still use:"
                          + " rotate those states with this key file too")
                  + ". Give the new key file to every host of the team: the old one no longer"
                  + " reads what was re-encrypted");
      spec.commandLine().getOut().flush();
      return 0;
    }

    private static String ids(Set<Integer> ids) {
      return ids.isEmpty()
          ? "(none)"
          : String.join(", ", ids.stream().map(Integer::toUnsignedString).toList());
    }
  }

  /** {@code secrets show REFERENCE}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print the value stored under REFERENCE (secret:RESOURCE/KEY, as the state shows it).")
  static final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(
        index = "0",
        paramLabel = "REFERENCE",
        description = "The reference the state records, like secret:deploy-key/secret.")
    String reference;

    @Override
    public Integer call() throws Exception {
      SecretReference parsed =
          SecretReference.parse(reference)
              .orElseThrow(
                  () ->
                      new CommandLine.ParameterException(
                          spec.commandLine(),
                          "\""
                              + reference
                              + "\" is not a secret reference: give secret:RESOURCE/KEY, as"
                              + " `compensa state show RESOURCE` prints it"));
      HostStores stores = HostStores.of(config.read());
      Optional<String> value = stores.secrets().get(parsed);
      if (value.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "secrets show: nothing is stored under "
                    + parsed.text()
                    + " in "
                    + stores.secrets().location());
        return FailureReporter.FAILURE;
      }
      spec.commandLine().getOut().println(value.get());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
