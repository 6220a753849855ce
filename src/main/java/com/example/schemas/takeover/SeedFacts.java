package com.example.schemas.takeover;

import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a system's migration guide states about its schema ({@code seed.yaml} beside its revisions), and the check of
 * a live schema against it: each fact the guide states for the revisions up to a given one must hold, whatever else
 * the database has. The file's header explains its format.
 */
public final class SeedFacts {

    private final List<Map<String, Object>> facts;

    private SeedFacts(List<Map<String, Object>> facts) {
        this.facts = facts;
    }

    @SuppressWarnings("unchecked")
    public static SeedFacts read(Reader file) {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(file);
        return new SeedFacts((List<Map<String, Object>>) document.get("facts"));
    }

    /** The revisions the facts name, to check them against the changelog's. */
    public List<String> revisionsNamed() {
        List<String> named = new ArrayList<>();
        for (Map<String, Object> fact : facts) {
            named.add(String.valueOf(fact.get("revision")));
            if (fact.get("until") != null) {
                named.add(String.valueOf(fact.get("until")));
            }
        }
        return named;
    }

    /**
     * What the live schema lacks of the facts that hold at {@code at} (a fact holds from its revision until the one
     * that removed it), in the order of the file: one sentence each, ending with the guide's words.
     */
    public List<String> violations(Connection connection, String schema, List<String> revisions, String at) throws SQLException {
        int position = revisions.indexOf(at);
        Probe probe = new Probe(connection, schema);
        List<String> violations = new ArrayList<>();
        // A missing table is one line; what the guide says of its columns, indexes and checks would only repeat it.
        Set<String> missingTables = new HashSet<>();
        for (Map<String, Object> fact : facts) {
            int from = revisions.indexOf(String.valueOf(fact.get("revision")));
            Object until = fact.get("until");
            if (from > position || (until != null && revisions.indexOf(String.valueOf(until)) <= position)) {
                continue;
            }
            String seed = " (the guide: \"" + fact.get("seed") + "\")";
            for (String table : strings(fact.get("tables"))) {
                if (!probe.tableExists(table) && missingTables.add(table)) {
                    violations.add("table " + table + " is missing" + seed);
                }
            }
            for (String kind : List.of("columns", "indexes", "checks", "triggers")) {
                for (Map<String, Object> stated : maps(fact.get(kind))) {
                    String table = String.valueOf(stated.get("table"));
                    if (missingTables.contains(table)) {
                        continue;
                    }
                    if (!probe.tableExists(table)) {
                        missingTables.add(table);
                        violations.add("table " + table + " is missing" + seed);
                        continue;
                    }
                    Optional<String> problem = switch (kind) {
                        case "columns" -> probe.column(stated);
                        case "indexes" -> probe.index(stated);
                        case "checks" -> probe.check(stated);
                        default -> probe.trigger(stated);
                    };
                    problem.ifPresent(text -> violations.add(text + seed));
                }
            }
        }
        return violations;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** Asks the catalog of one schema about one fact at a time. */
    private static final class Probe {

        private final Connection connection;
        private final String schema;

        Probe(Connection connection, String schema) {
            this.connection = connection;
            this.schema = schema;
        }

        boolean tableExists(String table) throws SQLException {
            return !rows("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')", schema, table).isEmpty();
        }

        Optional<String> column(Map<String, Object> fact) throws SQLException {
            String table = String.valueOf(fact.get("table"));
            String name = table + "." + fact.get("column");
            List<List<String>> found = rows("""
                    SELECT regexp_replace(format_type(a.atttypid, a.atttypmod), '^("[^"]+"|[^".(]+)\\.', ''),
                           a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), (a.attidentity <> '')::text
                      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                     WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped""",
                    schema, table, String.valueOf(fact.get("column")));
            if (found.isEmpty()) {
                return Optional.of("column " + name + " is missing");
            }
            String type = found.get(0).get(0);
            List<String> types = strings(fact.get("type"));
            if (!types.isEmpty() && types.stream().noneMatch(stated -> sameType(stated, type))) {
                return Optional.of("column " + name + " is " + type + ", not " + String.join(" or ", types));
            }
            if (fact.get("nullable") != null && Boolean.parseBoolean(found.get(0).get(1)) == (Boolean) fact.get("nullable")) {
                return Optional.of("column " + name + ((Boolean) fact.get("nullable") ? " is NOT NULL, not nullable" : " is nullable, not NOT NULL"));
            }
            Object stated = fact.get("default");
            String actual = found.get(0).get(2);
            if (stated != null && (stated.equals("*")
                    ? actual == null && !Boolean.parseBoolean(found.get(0).get(3))
                    : !withoutCasts(String.valueOf(stated)).equals(actual == null ? null : withoutCasts(actual)))) {
                return Optional.of("column " + name + (actual == null ? " has no default" : " defaults to " + actual)
                        + (stated.equals("*") ? ", not to a generated value" : ", not to " + stated));
            }
            if (Boolean.TRUE.equals(fact.get("primaryKey")) && !hasIndex(table, List.of(String.valueOf(fact.get("column"))), "x.indisprimary")) {
                return Optional.of("column " + name + " is not the primary key");
            }
            if (Boolean.TRUE.equals(fact.get("unique")) && !hasIndex(table, List.of(String.valueOf(fact.get("column"))), "x.indisunique")) {
                return Optional.of("column " + name + " is not unique");
            }
            return Optional.empty();
        }

        Optional<String> index(Map<String, Object> fact) throws SQLException {
            String table = String.valueOf(fact.get("table"));
            List<String> columns = strings(fact.get("columns"));
            boolean unique = Boolean.TRUE.equals(fact.get("unique"));
            Object name = fact.get("name");
            Object method = fact.get("method");
            String condition = (unique ? "x.indisunique" : "true")
                    + (name == null ? "" : " AND i.relname = '" + String.valueOf(name).replace("'", "''") + "'")
                    + (method == null ? "" : " AND am.amname = '" + String.valueOf(method).replace("'", "''") + "'");
            if (hasIndex(table, columns, condition)) {
                return Optional.empty();
            }
            String wanted = (unique ? "a unique " : "an ") + (method == null ? "" : method + " ") + "index"
                    + (name == null ? "" : " " + name) + " on " + table + " (" + String.join(", ", columns) + ")";
            if (name != null && !rows("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'i'", schema, String.valueOf(name)).isEmpty()) {
                return Optional.of(wanted + " is missing: an index of that name is there, with another definition");
            }
            return Optional.of(wanted + " is missing");
        }

        /**
         * Each value the guide says the column refuses must fail one of the table's check constraints on it, or its
         * type; each value it accepts must pass them all. The checks are evaluated on a row that has the value and
         * nothing else (NULL passes a check), the way an INSERT would. A check that calls a function or operator of
         * the database's own is not run: the take-over executes nothing that the database defines.
         */
        Optional<String> check(Map<String, Object> fact) throws SQLException {
            String table = String.valueOf(fact.get("table"));
            String column = String.valueOf(fact.get("column"));
            List<List<String>> checks = rows("""
                    SELECT k.conname, regexp_replace(pg_get_constraintdef(k.oid), '^CHECK |\\s+NOT VALID$', '', 'g'),
                           EXISTS (SELECT FROM pg_depend d
                                    WHERE d.classid = 'pg_constraint'::regclass AND d.objid = k.oid
                                      AND d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)
                                      AND d.refobjid NOT IN (SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace
                                                             UNION ALL SELECT o.oid FROM pg_operator o WHERE o.oprnamespace = 'pg_catalog'::regnamespace))
                      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = ?
                     WHERE n.nspname = ? AND c.relname = ? AND k.contype = 'c' AND a.attnum = ANY (k.conkey)""", column, schema, table);
            for (List<String> check : checks) {
                if (Boolean.parseBoolean(check.get(2)) || "t".equals(check.get(2))) {
                    return Optional.of("column " + table + "." + column + "'s check " + check.get(0) + " calls a function or operator of this"
                            + " database's own, which the take-over does not run; verify it by hand and replace it by a plain check");
                }
            }
            List<List<String>> columns = rows("""
                    SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", schema, table);
            if (columns.stream().noneMatch(row -> row.get(0).equals(column))) {
                return Optional.of("column " + table + "." + column + " is missing");
            }
            String rule = checks.isEmpty() ? "true" : checks.stream().map(check -> "(" + check.get(1) + ")").reduce((a, b) -> a + " AND " + b).get();
            for (String value : strings(fact.get("rejects"))) {
                if (accepts(columns, column, rule, value)) {
                    return Optional.of("column " + table + "." + column + " accepts " + value);
                }
            }
            for (String value : strings(fact.get("accepts"))) {
                if (!accepts(columns, column, rule, value)) {
                    return Optional.of("column " + table + "." + column + " refuses " + value);
                }
            }
            return Optional.empty();
        }

        Optional<String> trigger(Map<String, Object> fact) throws SQLException {
            String table = String.valueOf(fact.get("table"));
            List<String> sets = strings(fact.get("sets"));
            String when = String.valueOf(fact.getOrDefault("when", "BEFORE UPDATE"));
            int type = 1 | (when.startsWith("BEFORE") ? 2 : 0) | (when.endsWith("UPDATE") ? 16 : when.endsWith("INSERT") ? 4 : 8);
            for (List<String> function : rows("""
                    SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_class c ON c.oid = t.tgrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND c.relname = ? AND NOT t.tgisinternal AND t.tgtype & ?::integer = ?::integer AND t.tgenabled <> 'D'""",
                    schema, table, String.valueOf(type), String.valueOf(type))) {
                // An assignment to NEW.column (:= or =, not a comparison).
                if (sets.stream().allMatch(column -> function.get(0).matches("(?s).*\\b(?i:new)\\s*\\.\\s*" + column + "\\s*:?=(?!=).*"))) {
                    return Optional.empty();
                }
            }
            return Optional.of("no enabled row trigger " + when + " on " + table + " sets " + String.join(" and ", sets));
        }

        /** Whether a row with this value in the column, and NULL elsewhere, passes the rule and the column's type. */
        private boolean accepts(List<List<String>> columns, String column, String rule, String value) throws SQLException {
            String row = columns.stream()
                    .map(c -> (c.get(0).equals(column) ? "CAST(" + value + " AS " + c.get(1) + ")" : "CAST(NULL AS " + c.get(1) + ")")
                            + " AS \"" + c.get(0).replace("\"", "\"\"") + "\"")
                    .reduce((a, b) -> a + ", " + b).orElseThrow();
            // The probe changes nothing, and whatever it did is undone: a refused cast would also end the deploy's
            // transaction. Outside a transaction it runs in one of its own.
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            Savepoint before = connection.setSavepoint();
            try (PreparedStatement statement = connection.prepareStatement("SELECT coalesce((" + rule + "), true) FROM (SELECT " + row + ") AS probe");
                 ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            } catch (SQLException refusedByType) {
                return false;
            } finally {
                connection.rollback(before);
                if (autoCommit) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
        }

        private boolean hasIndex(String table, List<String> columns, String condition) throws SQLException {
            return !rows("""
                    SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = i.relam
                     WHERE n.nspname = ? AND c.relname = ? AND x.indpred IS NULL AND x.indexprs IS NULL AND x.indisvalid AND %s
                       AND ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                                WHERE k.position <= x.indnkeyatts ORDER BY k.position)
                           = ?::text[]""".formatted(condition),
                    schema, table, "{" + String.join(",", columns) + "}").isEmpty();
        }

        private List<List<String>> rows(String sql, String... parameters) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                try (ResultSet result = statement.executeQuery()) {
                    List<List<String>> rows = new ArrayList<>();
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            row.add(result.getString(i));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        }
    }

    /** A stated type without (...) leaves length and precision open. */
    static boolean sameType(String stated, String actual) {
        return stated.contains("(") ? stated.replace(" ", "").equals(actual.replace(" ", ""))
                : stated.equals(actual.replaceFirst("\\(.*\\)", ""));
    }

    static String withoutCasts(String expression) {
        return Objects.requireNonNull(expression).replaceAll("::[a-z][a-z ]*(\\([0-9, ]+\\))?(\\[\\])?", "").replaceAll("^\\((.*)\\)$", "$1");
    }
}
