package com.example.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.SortedSet;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import liquibase.Scope;
import liquibase.changelog.FastCheckService;
import liquibase.command.CommandScope;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A throwaway PostgreSQL + PostGIS database for one test class ({@code @RegisterExtension static final
 * TestDatabase db = TestDatabase.forSystem("pharmafleet");}: created before the class's tests, dropped after them),
 * with the Liquibase commands the tests drive and a catalog snapshot to compare schemas.
 *
 * <p>The server is the one TEST_DATABASE_URL names (a JDBC URL of any database on it, with TEST_DATABASE_USER
 * and TEST_DATABASE_PASSWORD); without it, Testcontainers' postgis image when a Docker engine runs; without
 * that, localhost:5432 as postgres.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    public static final Path PROJECT_DIR = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    public static final String MASTER_CHANGELOG = "db.changelog-master.xml";
    /**
     * Where this test JVM's runs write what a user's runs write under target/ (take-over reports, previews), so that
     * test JVMs running side by side read their own, and a user's next command finds none of it.
     */
    public static final Path OUTPUT = PROJECT_DIR.resolve("target/test-output/" + ProcessHandle.current().pid());

    private static final String POSTGIS_IMAGE = "postgis/postgis:15-3.5";
    private static Server server;

    private final String system;
    private final Map<String, String> parameters;
    private String name;
    private String url;

    private TestDatabase(String system, Map<String, String> parameters) {
        this.system = system;
        this.parameters = parameters;
    }

    /**
     * A database whose Liquibase commands see one system's changesets only (its label), as a deployment does, with
     * the local environment's changelog parameters (each system in a schema of its own), as a Maven goal without -Denv.
     */
    public static TestDatabase forSystem(String label) { return new TestDatabase(label, LOCAL_PARAMETERS); }

    /** The same, with no changelog parameter: the system goes to public, as on its own production database. */
    public static TestDatabase forSystemInPublic(String label) { return new TestDatabase(label, Map.of()); }

    /** The same, with the system in the schema given (its changelog parameter, <system>.schema). */
    public static TestDatabase forSystemInSchema(String label, String schema) {
        return new TestDatabase(label, Map.of(label.replace('-', '_') + ".schema", schema));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        name = ("t_" + context.getRequiredTestClass().getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        server().execute("CREATE DATABASE " + name);
        url = server().urlFor(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The schema that holds a system's tables in this database: its schema parameter, else public. */
    public String schemaOf(String system) { return parameters.getOrDefault(system.replace('-', '_') + ".schema", "public"); }

    public String url() { return url; }
    public String username() { return server().username; }
    public String password() { return server().password; }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username(), password());
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a SQL script (a preview's output) as an operator would, with psql: statement by statement, each committed on
     * its own unless the script says otherwise, stopping at the first error.
     */
    public void runScript(String sql) {
        ProcessBuilder psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", url.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""), "-U", username(), "-f", "-").redirectErrorStream(true);
        psql.environment().put("PGPASSWORD", password());
        try {
            Process process = psql.start();
            try (var input = process.getOutputStream()) {
                input.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("psql stopped at an error: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs sql and expects PostgreSQL to refuse it for the data it writes (SQLSTATE class 22 or 23: a check,
     * unique, foreign-key or not-null violation, a value outside its type), not for any other reason.
     */
    public void assertRejected(String what, String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (e.getSQLState() != null && (e.getSQLState().startsWith("22") || e.getSQLState().startsWith("23"))) {
                return;
            }
            throw new AssertionError(what + " must be refused by the schema, but failed otherwise: " + e.getMessage(), e);
        }
        throw new AssertionError(what + " must be refused by the schema, and was accepted");
    }

    public List<List<String>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    // --- Liquibase, as the Maven goals run it ---------------------------------------------------------

    public void update() { liquibase("update", Map.of()); }
    public void updateToTag(String tag) { liquibase("updateToTag", Map.of("tag", tag)); }
    public void rollbackCount(int count) { liquibase("rollbackCount", Map.of("count", count)); }
    public void rollbackToTag(String tag) { liquibase("rollback", Map.of("tag", tag)); }

    public void liquibase(String command, Map<String, Object> arguments) {
        liquibase(PROJECT_DIR, command, arguments, OutputStream.nullOutputStream());
    }

    /** Whether previewed SQL records the revision as already there (MARK_RAN) instead of running it. */
    public static boolean recordsAsRan(String previewSql, String revision) {
        return previewSql.lines().anyMatch(line -> line.contains("VALUES ('" + revision + "'") && line.contains("'MARK_RAN'"));
    }

    /**
     * The SQL updateSql writes, as the updateSQL goal writes it to a file, except that this names the schema of what
     * is in public too (public.users where the goal writes users).
     */
    public String previewUpdate(Map<String, Object> arguments) {
        ByteArrayOutputStream sql = new ByteArrayOutputStream();
        liquibase(PROJECT_DIR, "updateSql", arguments, sql);
        return sql.toString(StandardCharsets.UTF_8);
    }

    /**
     * A Liquibase command with the changelogs of another checkout of this project, with this database's changelog
     * parameters; the project's settings (strict, no analytics) come from SafetySettings, as in a service.
     */
    public void liquibase(Path checkout, String command, Map<String, Object> arguments) {
        liquibase(checkout, command, arguments, OutputStream.nullOutputStream());
    }

    private void liquibase(Path checkout, String command, Map<String, Object> arguments, OutputStream output) {
        // Liquibase remembers for the JVM's lifetime that a changelog was up to date on a database and then skips the
        // next update; 4.33 does not forget it even after its own rollback (5.0 does). Here, as for a fresh process,
        // each command looks at the database as it is, whoever changed it since.
        Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
        try {
            Scope.child(Map.of(
                    Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(checkout),
                    "javaProperties", withReports(parameters)), () -> {
                CommandScope scope = new CommandScope(command)
                        .addArgumentValue("changelogFile", MASTER_CHANGELOG)
                        .addArgumentValue("url", url)
                        .addArgumentValue("username", username())
                        .addArgumentValue("password", password());
                scope.addArgumentValue("labelFilter", system);
                arguments.forEach(scope::addArgumentValue);
                scope.setOutput(output);
                scope.execute();
            });
        } catch (Exception e) {
            throw new IllegalStateException("liquibase " + command + " " + arguments + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> withReports(Map<String, String> parameters) {
        Map<String, String> all = new HashMap<>(parameters);
        all.putIfAbsent("takeover.reports", OUTPUT.resolve("takeover").toString());
        return all;
    }

    private static final Map<String, String> LOCAL_PARAMETERS = localParameters();

    /** The local environment's changelog parameters: the Liquibase plugin's expressionVariables in pom.xml. */
    private static Map<String, String> localParameters() {
        try {
            Element plugin = null;
            NodeList artifacts = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(PROJECT_DIR.resolve("pom.xml").toFile())
                    .getElementsByTagName("artifactId");
            for (int i = 0; i < artifacts.getLength() && plugin == null; i++) {
                if (artifacts.item(i).getTextContent().equals("liquibase-maven-plugin")) {
                    plugin = (Element) artifacts.item(i).getParentNode();
                }
            }
            Map<String, String> parameters = new HashMap<>();
            NodeList variables = ((Element) plugin.getElementsByTagName("expressionVariables").item(0)).getChildNodes();
            for (int i = 0; i < variables.getLength(); i++) {
                if (variables.item(i) instanceof Element variable) {
                    parameters.put(variable.getTagName(), variable.getTextContent().trim());
                }
            }
            return Map.copyOf(parameters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("pom.xml: " + e.getMessage(), e);
        }
    }

    /**
     * Leaves the database as Alembic would have, at the given revisions (several: several heads): without Liquibase's
     * tables, with alembic_version in the schema that holds the system's tables.
     */
    public void leaveAsAlembicWould(String schema, String... revisions) {
        execute("DROP TABLE IF EXISTS databasechangelog, databasechangeloglock; CREATE TABLE " + schema + ".alembic_version"
                + " (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
        for (String revision : revisions) {
            execute("INSERT INTO " + schema + ".alembic_version VALUES ('" + revision + "')");
        }
    }

    /** Revision ids (tags) in the order they were applied; none where Liquibase has no history table (yet, or any more). */
    public List<String> appliedRevisions() {
        if (query("SELECT to_regclass('databasechangelog') IS NULL").get(0).get(0).equals("t")) {
            return List.of();
        }
        return query("SELECT tag FROM databasechangelog ORDER BY orderexecuted").stream().map(r -> r.get(0)).toList();
    }

    // --- Schema snapshot ------------------------------------------------------------------------------

    /**
     * Everything the changelogs can create, one line per object, outside PostgreSQL's and Liquibase's own
     * catalogs and outside extensions (PostGIS stays once created and is not PharmaFleet's): schemas, tables,
     * columns with type, nullability and default, sequences, indexes, constraints, triggers, functions and enum
     * types.
     */
    public SortedSet<String> snapshot() {
        SortedSet<String> lines = new TreeSet<>();
        for (String sql : SNAPSHOT_QUERIES) {
            query(sql).forEach(row -> lines.add(String.join(" ", row.stream().filter(v -> v != null && !v.isEmpty()).toList())));
        }
        return lines;
    }

    /** Fails with only the lines that differ, not two whole snapshots. */
    public static void assertSameSchema(SortedSet<String> expected, SortedSet<String> actual, String what) {
        List<String> missing = expected.stream().filter(line -> !actual.contains(line)).toList();
        List<String> extra = actual.stream().filter(line -> !expected.contains(line)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new AssertionError(what + "\n  missing:\n    " + String.join("\n    ", missing)
                    + "\n  unexpected:\n    " + String.join("\n    ", extra));
        }
    }

    private static final String OWN_SCHEMAS = """
            n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'topology', 'tiger', 'tiger_data')
            """;
    private static final String NOT_FROM_EXTENSION = """
            NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')
            """;
    private static final String NOT_LIQUIBASE = "c.relname NOT IN ('databasechangelog', 'databasechangeloglock')";

    private static final List<String> SNAPSHOT_QUERIES = List.of(
            "SELECT 'schema', n.nspname FROM pg_namespace n WHERE " + OWN_SCHEMAS + " AND n.nspname NOT LIKE 'pg_%'",
            "SELECT 'table', n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'v') AND " + OWN_SCHEMAS + " AND " + NOT_LIQUIBASE
                    + " AND " + NOT_FROM_EXTENSION.formatted("c.oid"),
            """
            SELECT 'column', n.nspname || '.' || c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                   coalesce('default ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
                   CASE a.attidentity WHEN 'd' THEN 'identity by default' WHEN 'a' THEN 'identity always' ELSE '' END
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v') AND
            """ + OWN_SCHEMAS + " AND " + NOT_LIQUIBASE + " AND " + NOT_FROM_EXTENSION.formatted("c.oid"),
            "SELECT 'sequence', n.nspname || '.' || c.relname, format_type(s.seqtypid, NULL),"
                    + " coalesce((SELECT 'owned by ' || d.refobjid::regclass || '.' || a.attname FROM pg_depend d"
                    + " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                    + " WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')), '')"
                    + " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE " + OWN_SCHEMAS + " AND " + NOT_FROM_EXTENSION.formatted("c.oid"),
            "SELECT 'index', n.nspname || '.' || i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                    + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
                    + " JOIN pg_namespace n ON n.oid = i.relnamespace WHERE " + OWN_SCHEMAS + " AND " + NOT_LIQUIBASE
                    + " AND " + NOT_FROM_EXTENSION.formatted("c.oid"),
            "SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)"
                    + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE " + OWN_SCHEMAS + " AND " + NOT_LIQUIBASE + " AND " + NOT_FROM_EXTENSION.formatted("c.oid"),
            "SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
                    + " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE NOT t.tgisinternal AND " + OWN_SCHEMAS,
            "SELECT 'function', n.nspname || '.' || p.proname, md5(pg_get_functiondef(p.oid)) FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind = 'f' AND " + OWN_SCHEMAS
                    + " AND " + NOT_FROM_EXTENSION.formatted("p.oid"),
            "SELECT 'type', n.nspname || '.' || t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
                    + " FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace"
                    + " WHERE " + OWN_SCHEMAS + " GROUP BY n.nspname, t.typname");

    // --- The server ------------------------------------------------------------------------------------

    private static synchronized Server server() {
        if (server == null) {
            server = Server.locate();
        }
        return server;
    }

    private record Server(String baseUrl, String username, String password) {

        static Server locate() {
            String url = System.getenv("TEST_DATABASE_URL");
            if (url == null && DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer(
                        DockerImageName.parse(POSTGIS_IMAGE).asCompatibleSubstituteFor("postgres"));
                container.start();
                return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword()).verified();
            }
            return new Server(
                    url == null ? "jdbc:postgresql://localhost:5432/postgres" : url,
                    envOr("TEST_DATABASE_USER", "postgres"),
                    envOr("TEST_DATABASE_PASSWORD", "postgres")).verified();
        }

        private static String envOr(String name, String fallback) {
            String value = System.getenv(name);
            return value == null ? fallback : value;
        }

        private Server verified() {
            try (Connection c = DriverManager.getConnection(baseUrl, username, password)) {
                return this;
            } catch (SQLException e) {
                throw new IllegalStateException("The tests need a PostgreSQL server with PostGIS, and none answered at "
                        + baseUrl + " as " + username + " (" + e.getMessage() + "). Start a Docker engine (the tests then"
                        + " use the " + POSTGIS_IMAGE + " image), or name a server with TEST_DATABASE_URL (a JDBC URL of"
                        + " any database on it), TEST_DATABASE_USER and TEST_DATABASE_PASSWORD.", e);
            }
        }

        String urlFor(String database) {
            return baseUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(baseUrl, username, password);
                 Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
