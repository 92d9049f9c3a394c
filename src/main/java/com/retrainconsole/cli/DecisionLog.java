package com.retrainconsole.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's decision lines (logger {@code scheduler} and its children) go to stdout and to a rolling
 * file in the data folder, {@code logs/scheduler.log}: 10 MB a file, 14 days, 200 MB in all. Set up in
 * code because the file's folder is only known once the options are parsed.
 */
final class DecisionLog {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

  private DecisionLog() {}

  static Path attach(Path logDir) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger decisions = context.getLogger("scheduler");
    Path file = logDir.resolve("scheduler.log");

    RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> rolling = new RollingFileAppender<>();
    rolling.setContext(context);
    rolling.setName("scheduler-file");
    rolling.setFile(file.toString());
    SizeAndTimeBasedRollingPolicy<ch.qos.logback.classic.spi.ILoggingEvent> policy =
        new SizeAndTimeBasedRollingPolicy<>();
    policy.setContext(context);
    policy.setParent(rolling);
    policy.setFileNamePattern(logDir.resolve("scheduler.%d{yyyy-MM-dd}.%i.log").toString());
    policy.setMaxFileSize(FileSize.valueOf("10MB"));
    policy.setMaxHistory(14);
    policy.setTotalSizeCap(FileSize.valueOf("200MB"));
    policy.start();
    rolling.setRollingPolicy(policy);
    rolling.setEncoder(encoder(context));
    rolling.start();

    ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("scheduler-stdout");
    stdout.setEncoder(encoder(context));
    stdout.start();

    decisions.addAppender(rolling);
    decisions.addAppender(stdout);
    decisions.setAdditive(false); // not a second time on stderr
    // the management API's request lines (with correlation ids) go beside the decisions they caused
    Logger api = context.getLogger("api");
    api.setLevel(ch.qos.logback.classic.Level.INFO);
    api.addAppender(rolling);
    api.addAppender(stdout);
    api.setAdditive(false);
    return file;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }
}
