package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.services.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code users list|grant|revoke}: the roles the console, the CLI and the API check (analyst, operator,
 * admin), fleet-wide or per site.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "List users with a stored role, grant or revoke one (fleet-wide, or on one site with --site). "
        + "Without a stored role a user is admin on the embedded store and analyst on a remote one.",
    subcommands = {UsersCommand.ListUsers.class, UsersCommand.Grant.class, UsersCommand.Revoke.class,
        CommandLine.HelpCommand.class})
public final class UsersCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: list, grant or revoke");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Users with a stored role.")
  static final class ListUsers extends StoreCommand {
    @Override
    int call(Services ctx, Output out) {
      UserDirectory users = ctx.users();
      Actor me = users.resolve(UserDirectory.localUser());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Actor a : users.list()) {
        rows.add(row(a));
      }
      Map<String, Object> result = Output.map("you", me.user(), "your_role", me.role().wire(),
          "default_role", users.defaultRole().wire(), "users", rows);
      result.put("your_roles", row(me));
      out.result(result, () -> {
        out.linef("you: %s; users without a stored role: %s fleet-wide", me.describe(),
            users.defaultRole().wire());
        for (Actor a : users.list()) {
          out.linef("%-20s %s", a.user(), a.rolesText());
        }
      });
      return 0;
    }
  }

  /** {"user", "role" (fleet-wide, null when none), "sites": {site: role}}. */
  static Map<String, Object> row(Actor a) {
    Map<String, Object> sites = new java.util.TreeMap<>();
    a.siteRoles().forEach((site, r) -> sites.put(site, r.wire()));
    return Output.map("user", a.user(), "role", a.fleetRole() == null ? null : a.fleetRole().wire(), "sites", sites);
  }

  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Give USER a role: fleet-wide (fleet admins only) or on one site with --site (admins of that"
          + " site).")
  static final class Grant extends StoreCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "OS login name") String user;

    @Parameters(index = "1", paramLabel = "ROLE", description = "analyst, operator or admin") String role;

    @CommandLine.Option(names = "--site", paramLabel = "SITE",
        description = "The role holds on this site only (default: fleet-wide)") String site;

    @Override
    int call(Services ctx, Output out) {
      Actor me = ctx.users().resolve(UserDirectory.localUser());
      Actor granted = ctx.users().grant(me, user, site, Role.parse(role));
      Map<String, Object> result = row(granted);
      result.put("granted_by", me.user());
      out.result(result, () -> out.linef("%s is now %s (granted by %s)", granted.user(), granted.rolesText(),
          me.user()));
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Remove USER's fleet-wide role (fleet admins) or their role on one site with --site (admins"
          + " of that site); other roles stay.")
  static final class Revoke extends StoreCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "OS login name") String user;

    @CommandLine.Option(names = "--site", paramLabel = "SITE",
        description = "Remove the role on this site (default: the fleet-wide role)") String site;

    @Override
    int call(Services ctx, Output out) {
      Actor me = ctx.users().resolve(UserDirectory.localUser());
      Actor left = ctx.users().revoke(me, user, site);
      Map<String, Object> result = row(left);
      result.put("revoked_by", me.user());
      out.result(result, () -> out.linef("%s now has %s (changed by %s)", left.user(), left.rolesText(), me.user()));
      return 0;
    }
  }
}
