package com.example.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs this project's Maven goals in a child process, as a user types them. */
final class Maven {

    record Result(int exitCode, String output) {

        /** The first line Maven prints as an error: where a refusal must be. */
        String firstError() {
            return output.lines().filter(line -> line.startsWith("[ERROR]")).findFirst().orElse("");
        }

        boolean hasStackTrace() {
            return output.lines().anyMatch(line -> line.matches("\\s+at [\\w.$]+ ?\\(.*"));
        }

        /**
         * What one of the goals of a run printed ("antrun:run@history", "liquibase:status"): from Maven's line that
         * starts it to the next goal's, or to the end of the build.
         */
        String of(String goal) {
            Matcher parts = Pattern.compile("(\\w+):(\\w+)(?:@(\\S+))?").matcher(goal);
            if (!parts.matches()) {
                throw new IllegalArgumentException(goal);
            }
            Pattern start = Pattern.compile("\\[INFO] --- " + parts.group(1) + ":[^:]+:" + parts.group(2) + " \\("
                    + Pattern.quote(parts.group(3) == null ? "default-cli" : parts.group(3)) + "\\) @ .*");
            List<String> lines = output.lines().toList();
            int first = lines.stream().filter(line -> start.matcher(line).matches()).findFirst().map(lines::indexOf)
                    .orElseThrow(() -> new AssertionError(goal + " did not run:\n" + output));
            int end = first + 1;
            while (end < lines.size() && !lines.get(end).matches("\\[INFO] (--- .* ---|BUILD .*)")) {
                end++;
            }
            return String.join("\n", lines.subList(first, end));
        }
    }

    private static final List<String> CONNECTION_VARIABLES = List.of("DB_HOST", "DB_NAME", "DB_USER", "DB_PASSWORD");

    private Maven() {}

    /** Runs mvn with the given arguments; the DB_* variables are exactly those given, never the caller's. */
    static Result run(Map<String, String> environment, String... arguments) {
        return run(TestDatabase.PROJECT_DIR, environment, arguments);
    }

    /** Runs mvn on the project in another directory (a test's own application), with the same local repository. */
    static Result runProject(Path project, String... arguments) {
        return run(project, Map.of(), arguments);
    }

    /** The mvn command line: this Maven, its local repository, and this test JVM's own output folders. */
    static List<String> command(Path project, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B",
                "-f", project.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-Dtakeover.reports=" + TestDatabase.OUTPUT.resolve("takeover"), "-Dpreview.directory=" + TestDatabase.OUTPUT.resolve("liquibase")));
        command.addAll(List.of(arguments));
        return command;
    }

    private static Result run(Path project, Map<String, String> environment, String... arguments) {
        List<String> command = command(project, arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        CONNECTION_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("mvn " + String.join(" ", arguments) + " did not finish in 5 minutes");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs SQL preview goals (updateSQL, rollbackSQL, futureRollbackSQL) in one Maven run against the test database
     * and returns the SQL each wrote, after checking that the run succeeded and printed where each file is.
     */
    static Map<String, String> previews(TestDatabase db, List<String> goals, String... arguments) throws IOException {
        List<String> all = new ArrayList<>(goals.stream().map(goal -> "liquibase:" + goal).toList());
        all.addAll(List.of(arguments));
        Result result = against(db, all.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError(goals + " failed:\n" + result.output());
        }
        Map<String, String> sql = new LinkedHashMap<>();
        for (String goal : goals) {
            Path file = TestDatabase.OUTPUT.resolve("liquibase/" + goal + ".sql");
            if (!result.of("liquibase:" + goal).contains(file.toString())) {
                throw new AssertionError(goal + " does not say where the SQL went:\n" + result.output());
            }
            sql.put(goal, Files.readString(file));
        }
        return sql;
    }

    /**
     * Runs a goal against the test database, overriding the environment file's connection: -Dliquibase.url,
     * -Dliquibase.username and -Dliquibase.password, and DB_PASSWORD for antrun:run@current, which takes no password
     * from the command line.
     */
    static Result against(TestDatabase db, String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "-Dliquibase.url=" + db.url(), "-Dliquibase.username=" + db.username(), "-Dliquibase.password=" + db.password()));
        all.addAll(List.of(arguments));
        return run(Map.of("DB_PASSWORD", db.password()), all.toArray(String[]::new));
    }
}
