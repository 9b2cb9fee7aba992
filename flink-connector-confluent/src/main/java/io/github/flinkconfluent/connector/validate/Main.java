package io.github.flinkconfluent.connector.validate;

import org.apache.flink.annotation.Internal;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Entry point of {@code java -jar flink-sql-connector-confluent-<v>.jar validate ...}.
 *
 * <p>The connector jar carries Kafka, Avro and the registry client but not Flink, which a Flink
 * installation provides. Started on its own, this class finds that installation ({@code FLINK_HOME}
 * or {@code --flink-home DIR}) and runs the command with the jar and Flink's {@code lib/} on one
 * class path, so that the checks use exactly the code a job would.
 */
@Internal
public final class Main {

    private static final String COMMAND =
            "io.github.flinkconfluent.connector.validate.ValidateCommand";

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 0 || !args[0].equals("validate")) {
            out.println(
                    "usage: java -jar flink-sql-connector-confluent.jar validate --profile NAME"
                            + " ...");
            return 2;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        String flinkHome = System.getenv("FLINK_HOME");
        int at = rest.indexOf("--flink-home");
        if (at >= 0 && at + 1 < rest.size()) {
            flinkHome = rest.get(at + 1);
            rest.remove(at + 1);
            rest.remove(at);
        }
        String[] commandArgs = rest.toArray(new String[0]);
        if (flinkOnClassPath()) {
            return invoke(Main.class.getClassLoader(), commandArgs, out);
        }
        if (flinkHome == null) {
            out.println(
                    "validate: Flink's classes are needed: set FLINK_HOME to a Flink installation"
                            + " (its lib/ holds the jars) or pass --flink-home DIR.");
            return 2;
        }
        Path lib = Paths.get(flinkHome, "lib");
        if (!Files.isDirectory(lib)) {
            out.println(
                    "validate: "
                            + lib
                            + " does not exist; point FLINK_HOME at a Flink installation.");
            return 2;
        }
        List<URL> urls = new ArrayList<>();
        urls.add(ownJar());
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader =
                new URLClassLoader(
                        urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            return invoke(loader, commandArgs, out);
        }
    }

    /** Runs the command as loaded by {@code loader}; by name, so this class never links to it. */
    private static int invoke(ClassLoader loader, String[] args, PrintStream out) throws Exception {
        Class<?> command = loader.loadClass(COMMAND);
        Object instance = command.getConstructor(PrintStream.class).newInstance(out);
        Method run = command.getMethod("run", String[].class);
        return (Integer) run.invoke(instance, (Object) args);
    }

    private static boolean flinkOnClassPath() {
        try {
            Class.forName(
                    "org.apache.flink.configuration.Configuration",
                    false,
                    Main.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static URL ownJar() throws Exception {
        return new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toURI()
                .toURL();
    }
}
