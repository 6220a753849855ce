package com.example.schemas;

import java.util.Map;

import liquibase.configuration.AbstractMapConfigurationValueProvider;

/**
 * The Liquibase settings these changelogs rely on, carried by the jar so that whatever runs them gets them without
 * repeating them: a Spring Boot service, the plain API, Liquibase's own command line. Liquibase finds this class
 * through {@code META-INF/services/liquibase.configuration.ConfigurationValueProvider}. Its precedence is the lowest,
 * so anything set explicitly (a scope value, a system property, an environment variable) still wins. The Maven
 * goals set the same values as the plugin's system properties in pom.xml, since a goal run from a fresh clone has
 * no compiled classes; SafetySettingsTest keeps the two in step.
 */
public final class SafetySettings extends AbstractMapConfigurationValueProvider {

    static final Map<String, String> SETTINGS = Map.of(
            // An update or rollback to a tag that names no revision fails and changes nothing; without it Liquibase
            // applies every revision with a warning.
            "liquibase.strict", "true",
            // No usage data leaves a deploy, and no remote analytics settings are fetched on every run.
            "liquibase.analytics.enabled", "false",
            // Liquibase's own command line prints a banner on every run; a deploy's log is for the deploy.
            "liquibase.showBanner", "false");

    @Override
    public int getPrecedence() {
        // Below every source a person sets: a defaults file (50), environment variables (150), system properties (200).
        return 10;
    }

    @Override
    protected Map<?, ?> getMap() {
        return SETTINGS;
    }

    @Override
    protected String getSourceDescription() {
        return "the schema changelogs' jar (" + getClass().getName() + ")";
    }
}
