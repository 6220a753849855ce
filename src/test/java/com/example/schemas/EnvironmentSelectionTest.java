package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** -Denv=NAME: bad choices fail at once with one line, before any connection is tried; a silent server fails it soon. */
class EnvironmentSelectionTest {

    /** A server or pooler that accepts the connection and never answers: the deploy gives up by itself. */
    @Test
    void aProductionDeployToAServerThatNeverAnswersFailsByItselfNamingTheHost() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String host = "127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            Maven.Result result = Maven.run(Map.of("DB_HOST", host, "DB_NAME", "pharmafleet", "DB_USER", "deploy", "DB_PASSWORD", "x"),
                    "liquibase:status", "-Denv=production", "-Dliquibase.labelFilter=pharmafleet");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains(host), "names the host:\n" + result.output());
            assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "gave up by itself, not after Maven's own limit: " + took);
        }
    }

    @Test
    void anUnknownEnvironmentNamesTheFileItLookedForAndTheEnvironmentsThatExist() throws IOException {
        String environments;
        try (Stream<Path> files = Files.list(TestDatabase.PROJECT_DIR.resolve("environments"))) {
            environments = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".properties"))
                    .map(n -> n.substring(0, n.length() - ".properties".length())).sorted().collect(Collectors.joining(", "));
        }
        Maven.Result result = Maven.run(Map.of(), "liquibase:update", "-Denv=prod");
        assertNotEquals(0, result.exitCode());
        assertEquals("[ERROR] Unknown environment 'prod': there is no environments/prod.properties; the environments are: " + environments,
                result.firstError(), result.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Denv=local", "-Dliquibase.verbose=false"})
    void localAndTheDefaultUseOnlyTheLocalPropertyFile(String argument) {
        Maven.Result result = Maven.run(Map.of(), "help:active-profiles", argument);
        assertTrue(result.output().contains("The following profiles are active"), result.output());
        assertFalse(result.output().contains("remote-environment"), result.output());
        assertFalse(result.output().contains("unknown-environment"), result.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void aRemoteEnvironmentNamesEachVariableThatIsMissingOnALineOfItsOwnBeforeConnecting(String environment) {
        Maven.Result result = Maven.run(Map.of("DB_HOST", "127.0.0.1:9", "DB_NAME", "pharmafleet"),
                "liquibase:update", "-Denv=" + environment, "-Dliquibase.labelFilter=pharmafleet");
        assertNotEquals(0, result.exitCode());
        List<String> errors = result.output().lines().filter(line -> line.startsWith("[ERROR]")).limit(3).toList();
        assertEquals(List.of("[ERROR] environment '" + environment + "' needs the environment variable DB_USER, which is not set",
                "[ERROR] environment '" + environment + "' needs the environment variable DB_PASSWORD, which is not set"),
                errors.subList(0, 2), result.output());
        assertFalse(errors.get(2).contains("which is not set"), "only the missing ones: " + errors.get(2));
        assertFalse(result.hasStackTrace(), result.output());
        assertFalse(result.output().contains("Connection refused"), "nothing was connected to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void aRemoteEnvironmentConnectsOverTlsWithoutServerSidePreparedStatements(String environment) {
        Maven.Result result = Maven.run(
                Map.of("DB_HOST", "127.0.0.1:9", "DB_NAME", "pharmafleet", "DB_USER", "deploy", "DB_PASSWORD", "secret"),
                "liquibase:update", "-Denv=" + environment, "-Dliquibase.labelFilter=pharmafleet");
        assertNotEquals(0, result.exitCode(), "nothing listens on port 9");
        assertTrue(result.output().contains("jdbc:postgresql://127.0.0.1:9/pharmafleet?sslmode=verify-full&prepareThreshold=0"),
                result.output());
        assertFalse(result.output().contains("secret"), "the password is never printed");
    }

    @Test
    void aRemoteEnvironmentWithoutASystemNamesTheSystemsBeforeConnecting() throws IOException {
        String systems;
        try (Stream<Path> folders = Files.list(TestDatabase.PROJECT_DIR.resolve("changelog"))) {
            systems = folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()).sorted().collect(Collectors.joining(", "));
        }
        Maven.Result result = Maven.run(
                Map.of("DB_HOST", "127.0.0.1:9", "DB_NAME", "pos", "DB_USER", "deploy", "DB_PASSWORD", "secret"),
                "liquibase:update", "-Denv=production");
        assertNotEquals(0, result.exitCode());
        String message = "[ERROR] environment 'production' holds one system's database: name it with -Dliquibase.labelFilter=SYSTEM, one of ";
        assertTrue(result.firstError().startsWith(message), result.output());
        String named = result.firstError().substring(message.length());
        assertEquals(systems, Stream.of(named.split(", ")).sorted().collect(Collectors.joining(", ")), "every system is named");
        assertFalse(result.output().contains("Connection refused"), "nothing was connected to");
    }
}
