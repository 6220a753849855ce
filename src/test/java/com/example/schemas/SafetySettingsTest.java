package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.GlobalConfiguration;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.configuration.ConfiguredValue;
import org.junit.jupiter.api.Test;

/** The jar's settings reach Liquibase wherever it runs, and the Maven goals set the same ones. */
class SafetySettingsTest {

    @Test
    void liquibaseOnTheClassPathIsStrictAndSendsNoAnalyticsBecauseTheJarSaysSo() {
        ConfiguredValue<Boolean> strict = GlobalConfiguration.STRICT.getCurrentConfiguredValue();
        assertEquals(true, strict.getValue());
        assertSetBySafetySettings(strict);

        ConfiguredValue<Boolean> analytics = AnalyticsArgs.ENABLED.getCurrentConfiguredValue();
        assertEquals(false, analytics.getValue());
        assertSetBySafetySettings(analytics);
    }

    private static void assertSetBySafetySettings(ConfiguredValue<?> value) {
        assertTrue(value.getProvidedValue().getSourceDescription().contains(SafetySettings.class.getName()), value.getProvidedValue().describe());
    }

    @Test
    void theMavenGoalsSetExactlyTheJarsSettings() throws Exception {
        String pom = Files.readString(TestDatabase.PROJECT_DIR.resolve("pom.xml"));
        Matcher block = Pattern.compile("<systemProperties>(.*?)</systemProperties>", Pattern.DOTALL).matcher(pom);
        Map<String, String> maven = new TreeMap<>();
        while (block.find()) {
            Matcher property = Pattern.compile("<([\\w.]+)>([^<]*)</\\1>").matcher(block.group(1));
            while (property.find()) {
                maven.put(property.group(1), property.group(2));
            }
        }
        assertEquals(new TreeMap<>(SafetySettings.SETTINGS), maven, "the liquibase plugin's <systemProperties> in pom.xml");
    }
}
