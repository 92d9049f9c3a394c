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

/** {@code users list|grant}: the roles the console and the API check (analyst, operator, admin). */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "List users with a stored role, or grant one. Without a stored role a user is admin on the "
        + "embedded store and analyst on a remote one.",
    subcommands = {UsersCommand.ListUsers.class, UsersCommand.Grant.class, CommandLine.HelpCommand.class})
public final class UsersCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: list or grant");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Users with a stored role.")
  static final class ListUsers extends StoreCommand {
    @Override
    int call(Services ctx, Output out) {
      UserDirectory users = ctx.users();
      Actor me = users.resolve(UserDirectory.localUser());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Actor a : users.list()) {
        rows.add(Output.map("user", a.user(), "role", a.role().wire()));
      }
      out.result(Output.map("you", me.user(), "your_role", me.role().wire(),
          "default_role", users.defaultRole().wire(), "users", rows), () -> {
            out.linef("you: %s; users without a stored role: %s", me.describe(), users.defaultRole().wire());
            for (Actor a : users.list()) {
              out.linef("%-20s %s", a.user(), a.role().wire());
            }
          });
      return 0;
    }
  }

  @Command(name = "grant", mixinStandardHelpOptions = true, description = "Give USER a role (admins only).")
  static final class Grant extends StoreCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "OS login name") String user;

    @Parameters(index = "1", paramLabel = "ROLE", description = "analyst, operator or admin") String role;

    @Override
    int call(Services ctx, Output out) {
      Actor me = ctx.users().resolve(UserDirectory.localUser());
      Actor granted = ctx.users().grant(me, user, Role.parse(role));
      out.result(Output.map("user", granted.user(), "role", granted.role().wire(), "granted_by", me.user()),
          () -> out.linef("%s is now %s (granted by %s)", granted.user(), granted.role().wire(), me.user()));
      return 0;
    }
  }
}
