package com.example.service;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import liquibase.GlobalConfiguration;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.util.LiquibaseUtil;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * A service that depends on the schema-changelogs jar and leaves the migration to Spring Boot's Liquibase
 * auto-configuration. Each argument is a .properties file, one scenario: the service starts with exactly those
 * properties, stops, and says on stdout how the start went, so that one JVM can try several scenarios.
 */
@SpringBootApplication
public class BootService {

    public static void main(String[] args) throws IOException {
        // stdout carries only the lines the tests read; Boot's and Liquibase's logs go to stderr.
        PrintStream verdicts = System.out;
        System.setOut(System.err);
        verdicts.println("LIQUIBASE " + LiquibaseUtil.getBuildVersion());
        // What the service gets without configuring anything: the schema-changelogs jar is to provide both.
        verdicts.println("SETTINGS strict=" + GlobalConfiguration.STRICT.getCurrentValue()
                + " analytics=" + AnalyticsArgs.ENABLED.getCurrentValue());
        for (String arg : args) {
            Path file = Path.of(arg);
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            verdicts.println("SCENARIO " + file.getFileName() + " " + start(properties));
        }
    }

    private static String start(Properties properties) {
        // As command-line arguments the scenario outranks anything else Boot might find (environment variables,
        // system properties), and goes through Boot's usual binding, as application.yaml would.
        String[] arguments = properties.stringPropertyNames().stream()
                .map(key -> "--" + key + "=" + properties.getProperty(key))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BootService.class)
                .web(WebApplicationType.NONE)
                .run(arguments)) {
            return "STARTED";
        } catch (RuntimeException e) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            return "FAILED " + cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage()).replaceAll("\\R", " ");
        }
    }
}
