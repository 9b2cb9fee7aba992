package io.github.flinkconfluent.connector.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Captures every log event of this JVM while open, at every level from TRACE up, whatever the
 * test's log4j2 configuration says, and hands each one's text (logger, level, message and the stack
 * trace of its throwable) to a sink.
 *
 * <p>The test configuration logs WARN and above to the console; to see everything, every logger is
 * turned to ALL while the capture is open, and the appenders that were there keep their old
 * threshold, so the console does not fill with debug output. Closing restores the configuration.
 * With a MiniCluster, the JobManager's and TaskManagers' logs are this JVM's, so they are captured
 * too.
 */
public final class LogCapture implements AutoCloseable {

    private final LoggerContext context;
    private final Appender appender;
    private final Map<LoggerConfig, Level> levels = new HashMap<>();
    private final Map<LoggerConfig, List<AppenderRef>> refs = new HashMap<>();
    private final AtomicLong events = new AtomicLong();

    private LogCapture(Consumer<String> sink, Level level) {
        this.context = (LoggerContext) LogManager.getContext(false);
        this.appender =
                new AbstractAppender(
                        "capture-" + System.identityHashCode(this),
                        null,
                        null,
                        true,
                        Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        events.incrementAndGet();
                        sink.accept(text(event));
                    }
                };
        appender.start();
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        for (LoggerConfig logger : loggers) {
            Level old = logger.getLevel();
            levels.put(logger, old);
            refs.put(logger, new ArrayList<>(logger.getAppenderRefs()));
            for (AppenderRef ref : logger.getAppenderRefs()) {
                Appender existing = config.getAppender(ref.getRef());
                if (existing != null) {
                    logger.removeAppender(ref.getRef());
                    logger.addAppender(
                            existing, ref.getLevel() != null ? ref.getLevel() : old, null);
                }
            }
            logger.setLevel(level);
        }
        config.getRootLogger().addAppender(appender, level, null);
        context.updateLoggers();
    }

    /** Captures every event at every level into {@code sink} (called on the logging thread). */
    public static LogCapture everything(Consumer<String> sink) {
        return new LogCapture(sink, Level.ALL);
    }

    /** Captures events of {@code level} and above into a list. */
    public static Collecting collecting(Level level) {
        List<String> lines = new CopyOnWriteArrayList<>();
        return new Collecting(new LogCapture(lines::add, level), lines);
    }

    /** How many events were captured. */
    public long events() {
        return events.get();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        for (Map.Entry<LoggerConfig, Level> e : levels.entrySet()) {
            LoggerConfig logger = e.getKey();
            logger.setLevel(e.getValue());
            for (AppenderRef ref : refs.get(logger)) {
                Appender existing = config.getAppender(ref.getRef());
                if (existing != null) {
                    logger.removeAppender(ref.getRef());
                    logger.addAppender(existing, ref.getLevel(), ref.getFilter());
                }
            }
        }
        context.updateLoggers();
        appender.stop();
    }

    private static String text(LogEvent event) {
        StringBuilder out =
                new StringBuilder()
                        .append(event.getLevel())
                        .append(' ')
                        .append(event.getLoggerName())
                        .append(' ')
                        .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            out.append('\n').append(trace);
        }
        return out.toString();
    }

    /** A capture into a list of lines. */
    public static final class Collecting implements AutoCloseable {
        private final LogCapture capture;
        private final List<String> lines;

        private Collecting(LogCapture capture, List<String> lines) {
            this.capture = capture;
            this.lines = lines;
        }

        public List<String> lines() {
            return lines;
        }

        /** The captured lines that contain {@code text}. */
        public List<String> containing(String text) {
            return lines.stream().filter(l -> l.contains(text)).toList();
        }

        @Override
        public void close() {
            capture.close();
        }
    }
}
