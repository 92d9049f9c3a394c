package com.retrainconsole.ui.settings;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Permission;
import com.retrainconsole.services.Services;
import com.retrainconsole.settings.AppPaths;
import com.retrainconsole.common.UserException;
import com.retrainconsole.settings.FieldError;
import com.retrainconsole.settings.LocalSettings;
import com.retrainconsole.settings.LocalSettingsFile;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.store.RedactedUri;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.bson.Document;

/**
 * What the Settings view does, apart from its controls: reading and saving the local settings file and the
 * shared policies, the connection test, and checking the policy form. Methods without "FX" in their
 * contract run on a background thread.
 */
public final class SettingsViewModel {
  private final Services ctx;
  private final PolicySettings policies;
  private final BooleanProperty testing = new SimpleBooleanProperty(this, "testing");
  private volatile Policies saved = Policies.defaults();

  public SettingsViewModel(Services ctx) {
    this.ctx = ctx;
    this.policies = ctx.policySettings();
  }

  /** True while a connection test runs (FX thread). */
  public BooleanProperty testingProperty() {
    return testing;
  }

  public LocalSettings readLocal() {
    LocalSettingsFile file = ctx.config().localSettings();
    return file.path() == null ? LocalSettings.defaults() : file.read();
  }

  /**
   * Opens {@code uri} the way the console would at start (5 s server selection, start-up commands) and
   * closes it again. The message names the server and its version; failures come as Store's own
   * user-facing, password-free messages.
   */
  public String testConnection(String uri) {
    long t0 = System.nanoTime();
    try (Store s = Store.open(StoreConfig.remote(uri.strip()))) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String version = "";
      try {
        Object v = s.db().runCommand(new Document("buildInfo", 1)).get("version");
        version = v == null ? "" : " (server version " + v + ")";
      } catch (RuntimeException e) {
        // the version is a nicety; reaching the server is the test
      }
      return "Connected to " + s.describe() + version + " in " + ms + " ms.";
    }
  }

  /** Saves the store choice and models folder (admins only); returns the file written. */
  public Path saveLocal(Actor actor, String uri, Path modelsDir) {
    actor.require(Permission.EDIT_SETTINGS);
    LocalSettingsFile file = ctx.config().localSettings();
    if (file.path() == null) {
      throw new UserException("this console has no local settings file (no data folder); start it normally");
    }
    if (uri != null) {
      LocalSettings.checkUri(uri, com.retrainconsole.settings.AppConfig.ENV_MONGO_URI).ifPresent(why -> {
        throw new UserException("URI " + why);
      });
    }
    LocalSettings.createModelsDir(modelsDir);
    // decision: the default models folder is saved as "none", so it keeps following the data folder
    Path models = modelsDir.equals(AppPaths.defaultModelsDir(ctx.config().dataDir())) ? null : modelsDir;
    file.write(file.read().withStore(uri, models));
    return file.path();
  }

  /**
   * Saves whether (port) or not (null) the console serves the management API while its scheduler is on
   * (admins only); returns the port saved.
   */
  public Integer saveApiPort(Actor actor, Integer port) {
    actor.require(Permission.EDIT_SETTINGS);
    LocalSettingsFile file = ctx.config().localSettings();
    if (file.path() == null) {
      throw new UserException("this console has no local settings file (no data folder); start it normally");
    }
    file.write(file.read().withApiPort(port));
    return port;
  }

  public PolicySettings.Stored loadPolicies() {
    return policies.loadStored();
  }

  public PolicySettings.Stored savePolicies(Actor actor, Policies p) {
    policies.save(actor, p);
    return policies.loadStored();
  }

  public void setSaved(Policies p) {
    saved = p;
  }

  /** The form's per-field errors (parse and range), the policies when valid, and whether it differs. */
  public record FormCheck(Map<PolicyField, String> errors, Policies policies, boolean dirty) {}

  public FormCheck check(Map<PolicyField, String> texts) {
    Map<PolicyField, String> errors = new LinkedHashMap<>();
    Map<String, Double> values = new HashMap<>();
    texts.forEach((f, text) -> {
      PolicyField.Parsed parsed = f.parse(text);
      if (parsed.error() != null) {
        errors.put(f, parsed.error());
      } else {
        values.put(f.key(), parsed.value());
      }
    });
    Policies p = PolicyField.policies(values, saved);
    for (FieldError fe : p.validate()) {
      PolicyField.byKey(fe.field()).filter(f -> !errors.containsKey(f)).ifPresent(f -> errors.put(f, fe.message()));
    }
    boolean dirty = !p.equals(saved) || errors.keySet().stream().anyMatch(f -> !f.format(saved).equals(texts.get(f)));
    return new FormCheck(errors, errors.isEmpty() ? p : null, dirty);
  }

  public boolean dirty(Map<PolicyField, String> texts) {
    return check(texts).dirty();
  }

  /** A failure as one line for the view; never a stack trace, never a password. */
  static String message(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.contains("://") ? RedactedUri.redact(m) : m;
  }
}
