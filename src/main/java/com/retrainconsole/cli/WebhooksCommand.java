package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.UserDirectory;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.UserException;
import com.retrainconsole.notify.Notifications;
import com.retrainconsole.notify.Webhook;
import com.retrainconsole.notify.WebhookEvent;
import com.retrainconsole.notify.WebhookFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code webhooks add|list|remove|test}: who hears about failed runs, promotions, circuits and alerts. URLs are shown redacted. */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
    description = "Configure webhook notifications (generic JSON, Slack, Teams) sent by the scheduler.",
    subcommands = {WebhooksCommand.Add.class, WebhooksCommand.ListHooks.class, WebhooksCommand.Remove.class,
        WebhooksCommand.TestSend.class, CommandLine.HelpCommand.class})
public final class WebhooksCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command: add, list, remove or test");
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a webhook (admin).")
  static final class Add extends StoreCommand {
    @Option(names = "--url", required = true, paramLabel = "URL") String url;

    @Option(names = "--device", paramLabel = "ID", description = "Only this device's events (default: all devices).")
    String device;

    @Option(names = "--format", defaultValue = "generic", paramLabel = "FORMAT",
        description = "generic, slack or teams (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--events", paramLabel = "LIST", description = "Comma-separated: run_failed, run_promoted, "
        + "circuit_opened, alert_raised, alert_resolved (default: all).")
    String events;

    @Override
    int call(Services ctx, Output out) {
      if (device != null && ctx.devices().find(device).isEmpty()) {
        throw new UserException("Unknown device '" + device + "'");
      }
      Webhook w = Notifications.defaults(ctx.store(), ctx.clock()).webhooks()
          .add(me(ctx), url, device, WebhookFormat.parse(format), WebhookEvent.parseList(events));
      out.result(view(w), () -> out.linef("added %s  %s %s for %s: %s", w.id(), w.format().wire(), w.redactedUrl(),
          w.deviceId() == null ? "all devices" : w.deviceId(), eventList(w)));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Configured webhooks (URLs redacted).")
  static final class ListHooks extends StoreCommand {
    @Override
    int call(Services ctx, Output out) {
      List<Webhook> hooks = Notifications.defaults(ctx.store(), ctx.clock()).webhooks().list();
      List<Map<String, Object>> rows = new ArrayList<>();
      hooks.forEach(w -> rows.add(view(w)));
      out.result(Output.map("count", rows.size(), "webhooks", rows), () -> {
        if (hooks.isEmpty()) {
          out.line("no webhooks; add one with: webhooks add --url URL");
        }
        for (Webhook w : hooks) {
          out.linef("%s  %-7s %-10s %s  %s", w.id(), w.format().wire(),
              w.deviceId() == null ? "*" : w.deviceId(), w.redactedUrl(), eventList(w));
        }
      });
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a webhook (admin).")
  static final class Remove extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) {
      boolean removed = Notifications.defaults(ctx.store(), ctx.clock()).webhooks().remove(me(ctx), id);
      if (!removed) {
        throw new UserException("No webhook '" + id + "'. See: webhooks list");
      }
      out.result(Output.map("webhook_id", id, "removed", true), () -> out.line("removed " + id));
      return 0;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Send a test event to a webhook now and print the HTTP status (admin).")
  static final class TestSend extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    int call(Services ctx, Output out) throws InterruptedException {
      Notifications n = Notifications.defaults(ctx.store(), ctx.clock());
      Webhook w = n.webhooks().require(id);
      int status;
      try {
        status = n.sendTest(me(ctx), id);
      } catch (IOException e) {
        throw new UserException("No answer from " + w.redactedUrl() + ": " + e.getMessage());
      }
      boolean ok = status >= 200 && status < 300;
      out.result(Output.map("webhook_id", id, "http_status", status, "ok", ok),
          () -> out.linef("%s %s → HTTP %d%s", id, w.redactedUrl(), status, ok ? "" : " (not delivered)"));
      return ok ? 0 : RetrainCli.EXIT_FAILED;
    }
  }

  static Actor me(Services ctx) {
    return ctx.users().resolve(UserDirectory.localUser());
  }

  static Map<String, Object> view(Webhook w) {
    return Output.map("webhook_id", w.id(), "url", w.redactedUrl(), "device_id", w.deviceId(),
        "format", w.format().wire(), "events", eventList(w), "created_by", w.createdBy());
  }

  static String eventList(Webhook w) {
    List<String> names = new ArrayList<>();
    w.events().forEach(e -> names.add(e.wire()));
    return String.join(",", names);
  }
}
