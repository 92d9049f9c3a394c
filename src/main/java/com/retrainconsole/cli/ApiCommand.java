package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.api.ApiTokens;
import com.retrainconsole.services.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code api token create|list|revoke}: bearer tokens of the management API ({@code scheduler --api}). */
@Command(name = "api", mixinStandardHelpOptions = true,
    description = "Manage the management API served by 'scheduler --api'.",
    subcommands = {ApiCommand.Token.class, CommandLine.HelpCommand.class})
public final class ApiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: token");
  }

  @Command(name = "token", mixinStandardHelpOptions = true,
      description = "Create, list or revoke API tokens (admins only for create and revoke).",
      subcommands = {Create.class, ListTokens.class, Revoke.class, CommandLine.HelpCommand.class})
  static final class Token implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: create, list or revoke");
    }
  }

  private static ApiTokens tokens(Services ctx) {
    return new ApiTokens(ctx.store(), ctx.clock());
  }

  private static Actor me(Services ctx) {
    return ctx.users().resolve(UserDirectory.localUser());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a token; it is printed once and cannot be shown again.")
  static final class Create extends StoreCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "Who uses the token, e.g. the script or dashboard") String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "analyst, operator or admin")
    String role;

    @Option(names = "--site", paramLabel = "SITE",
        description = "The token acts on this site only; repeat for several (default: fleet-wide, fleet admins only)")
    java.util.List<String> sites = new java.util.ArrayList<>();

    @Override
    int call(Services ctx, Output out) {
      ApiTokens.Created c = tokens(ctx).create(me(ctx), name, Role.parse(role), sites);
      String where = c.info().fleetWide() ? "fleet-wide" : "on " + String.join(", ", c.info().sites());
      out.result(Output.map("id", c.info().id(), "name", c.info().name(), "role", c.info().role().wire(),
          "sites", c.info().sites(), "token", c.token(), "note", "store the token now: it cannot be shown again"),
          () -> {
            out.linef("token %s for %s (%s %s):", c.info().id(), c.info().name(), c.info().role().wire(), where);
            out.line(c.token());
            out.line("Store it now: it cannot be shown again (only its hash is kept).");
          });
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Tokens, without their secrets.")
  static final class ListTokens extends StoreCommand {
    @Override
    int call(Services ctx, Output out) {
      List<ApiTokens.TokenInfo> all = tokens(ctx).list();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ApiTokens.TokenInfo t : all) {
        rows.add(Output.map("id", t.id(), "name", t.name(), "role", t.role().wire(), "sites", t.sites(),
            "created_by", t.createdBy(),
            "created_at", String.valueOf(t.createdAt()), "revoked_at",
            t.revokedAt() == null ? null : t.revokedAt().toString()));
      }
      out.result(Output.map("tokens", rows), () -> {
        if (all.isEmpty()) {
          out.line("no API tokens; create one with: api token create --name NAME --role operator");
        }
        for (ApiTokens.TokenInfo t : all) {
          out.linef("%-10s %-20s %-9s %-16s by %-12s %s%s", t.id(), t.name(), t.role().wire(),
              t.fleetWide() ? "fleet-wide" : String.join(",", t.sites()), t.createdBy(), t.createdAt(),
              t.active() ? "" : "  revoked " + t.revokedAt());
        }
      });
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id.")
  static final class Revoke extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the id shown by 'api token list'") String id;

    @Override
    int call(Services ctx, Output out) {
      ApiTokens.TokenInfo t = tokens(ctx).revoke(me(ctx), id);
      out.result(Output.map("id", t.id(), "name", t.name(), "revoked_at", String.valueOf(t.revokedAt())),
          () -> out.linef("token %s (%s) revoked", t.id(), t.name()));
      return 0;
    }
  }
}
