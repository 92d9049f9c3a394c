package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.settings.PolicySettings;
import java.util.Map;
import org.bson.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code settings show|set|clear}: the promotion and data-quality thresholds, for the fleet or for one site
 * (a site without its own follows the fleet's). The console's Settings view edits the same documents.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Show or change the promotion and data-quality thresholds, fleet-wide or for one site.",
    subcommands = {SettingsCommand.Show.class, SettingsCommand.Set.class, SettingsCommand.Clear.class,
        CommandLine.HelpCommand.class})
final class SettingsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: show, set or clear");
  }

  static Map<String, Object> json(PolicySettings.Stored s, String site, boolean own) {
    return Output.map("site", site, "own", own, "policies", PolicySettings.toDocument(s.policies()),
        "updated_by", s.updatedBy(), "updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "The thresholds that apply (to a site's devices with --site).")
  static final class Show extends StoreCommand {
    @Option(names = "--site", paramLabel = "SITE") String site;

    @Override
    int call(Services ctx, Output out) {
      if (site != null) {
        ctx.operations().visibility().requireSite(actor(ctx), site);
      }
      PolicySettings ps = ctx.policySettings();
      boolean own = site != null && ps.hasOwn(site);
      PolicySettings.Stored s = ps.loadFor(site);
      out.result(json(s, site, own), () -> {
        out.linef("%s: %s", site == null ? "fleet" : "site " + site,
            own ? "its own thresholds" : site == null ? "" : "follows the fleet's thresholds");
        Policies p = s.policies();
        out.linef("promotion tolerance %.2f, min test rows %d; gate min rows %d", p.promotionTolerance(),
            p.promotionMinTestRows(), p.gateMinRows());
      });
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Change thresholds; unchanged ones keep their current value. With --site only that site's"
          + " devices use them (admins of the site); without, the fleet's (fleet admins).")
  static final class Set extends StoreCommand {
    @Option(names = "--site", paramLabel = "SITE") String site;

    @Option(names = "--tolerance", paramLabel = "X",
        description = "Promote when candidate MAE <= champion MAE x (1 + X)") Double tolerance;

    @Option(names = "--min-test-rows", paramLabel = "N") Integer minTestRows;

    @Option(names = "--gate-min-rows", paramLabel = "N") Integer gateMinRows;

    @Override
    int call(Services ctx, Output out) {
      if (tolerance == null && minTestRows == null && gateMinRows == null) {
        throw new UserException("nothing to set; give --tolerance, --min-test-rows or --gate-min-rows");
      }
      Actor me = actor(ctx);
      Document d = PolicySettings.toDocument(ctx.policySettings().load(site));
      if (tolerance != null) {
        d.get("promotion", Document.class).put("tolerance", tolerance);
      }
      if (minTestRows != null) {
        d.get("promotion", Document.class).put("min_test_rows", minTestRows);
      }
      if (gateMinRows != null) {
        d.get("gate", Document.class).put("min_rows", gateMinRows);
      }
      ctx.policySettings().save(me, site, PolicySettings.fromDocument(d));
      PolicySettings.Stored s = ctx.policySettings().loadFor(site);
      out.result(json(s, site, site != null), () -> out.linef("saved %s thresholds",
          site == null ? "the fleet's" : "site " + site + "'s"));
      return 0;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true,
      description = "Drop a site's own thresholds so it follows the fleet's again.")
  static final class Clear extends StoreCommand {
    @Option(names = "--site", paramLabel = "SITE", required = true) String site;

    @Override
    int call(Services ctx, Output out) {
      boolean removed = ctx.policySettings().clear(actor(ctx), site);
      out.result(Output.map("site", site, "cleared", removed), () -> out.line(removed
          ? "site " + site + " follows the fleet's thresholds again" : "site " + site + " had no thresholds of its own"));
      return 0;
    }
  }
}
