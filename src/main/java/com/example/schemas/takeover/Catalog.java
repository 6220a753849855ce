package com.example.schemas.takeover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;

/**
 * A system's schema as lines that do not depend on which schema holds it: {@code column order.total_amount =
 * numeric(12,3) not null}, one per table, column, index, constraint, trigger, function and enum type. Two schemas
 * built alike give the same lines, so comparing a live database with what the changelog builds is comparing lines.
 *
 * <p>What each revision builds is kept per system in {@code catalog.txt} beside its revisions, as the lines each
 * revision adds and removes, written by {@code BuiltCatalogTest} from a database built from empty.
 */
public final class Catalog {

    // Each starts with a space: a text block drops the one before its closing quotes.
    private static final String OWN = " n.nspname = ? AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";
    private static final String NOT_BOOKKEEPING =
            "c.relname NOT IN ('databasechangelog', 'databasechangeloglock', 'alembic_version')";
    private static final String TABLES = " c.relkind IN ('r', 'p') AND " + NOT_BOOKKEEPING + " AND " + OWN.formatted("c.oid");

    /** Each query returns (kind, name, detail) for one schema, its only parameter. */
    private static final List<String> QUERIES = List.of(
            "SELECT 'table', c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + TABLES,
            """
            SELECT 'column', c.relname || '.' || a.attname,
                   concat_ws(' ', regexp_replace(format_type(a.atttypid, a.atttypmod), '^("[^"]+"|[^".(]+)\\.', ''), CASE WHEN a.attnotnull THEN 'not null' END,
                             'default ' || pg_get_expr(ad.adbin, ad.adrelid),
                             CASE a.attidentity WHEN 'd' THEN 'identity' WHEN 'a' THEN 'identity always' END)
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             WHERE a.attnum > 0 AND NOT a.attisdropped AND """ + TABLES,
            // Indexes that back a primary key, unique or exclusion constraint show as that constraint. An index a failed
            // concurrent build left says INVALID, as a constraint added NOT VALID and not validated since says NOT VALID.
            """
            SELECT 'index', c.relname || '.' || i.relname,
                   regexp_replace(pg_get_indexdef(i.oid), '^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ USING ', '\\1')
                   || CASE WHEN NOT x.indisvalid THEN ' INVALID' ELSE '' END
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid
                                 AND k.contype IN ('p', 'u', 'x')) AND """ + TABLES,
            """
            SELECT 'constraint', c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND """ + TABLES,
            """
            SELECT 'trigger', c.relname || '.' || t.tgname,
                   regexp_replace(pg_get_triggerdef(t.oid), '^CREATE (CONSTRAINT )?TRIGGER \\S+ (.*) ON \\S+ ', '\\2 ')
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND """ + TABLES,
            """
            SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   'body ' || left(md5(regexp_replace(p.prosrc, '\\s+', ' ', 'g')), 12)
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind = 'f' AND """ + OWN.formatted("p.oid"),
            """
            SELECT 'type', t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
              FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE """ + OWN.formatted("t.oid") + " GROUP BY t.typname");

    private Catalog() {
    }

    /** The lines of everything the system's schema holds, apart from Liquibase's and Alembic's bookkeeping. */
    public static SortedSet<String> read(Connection connection, String schema) throws SQLException {
        Pattern qualifier = Pattern.compile("(?<![\\w\"])(\"" + Pattern.quote(schema) + "\"|" + Pattern.quote(schema) + ")\\.");
        SortedSet<String> lines = new TreeSet<>();
        for (String query : QUERIES) {
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String detail = qualifier.matcher(rows.getString(3)).replaceAll("");
                        lines.add(line(rows.getString(1), qualifier.matcher(rows.getString(2)).replaceAll(""), detail));
                    }
                }
            }
        }
        return lines;
    }

    static String line(String kind, String name, String detail) {
        return detail.isEmpty() ? kind + " " + name : kind + " " + name + " = " + detail;
    }

    /**
     * The catalog file: for each revision in order, "== REVISION", then "+ LINE" for what it adds and "- LINE" for
     * what it removes; "#" starts a comment.
     */
    public static Map<String, SortedSet<String>> readBuilt(Reader file) throws IOException {
        Map<String, SortedSet<String>> built = new LinkedHashMap<>();
        SortedSet<String> current = new TreeSet<>();
        BufferedReader reader = new BufferedReader(file);
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            if (text.startsWith("== ")) {
                current = new TreeSet<>(current);
                built.put(text.substring(3).trim(), current);
            } else if (text.startsWith("+ ")) {
                current.add(text.substring(2));
            } else if (text.startsWith("- ")) {
                current.remove(text.substring(2));
            } else if (!text.isBlank() && !text.startsWith("#")) {
                throw new IOException("a catalog line must start with ==, +, - or #: " + text);
            }
        }
        return built;
    }

    /** What one revision changes: the lines it adds and the lines it removes. */
    public record Delta(SortedSet<String> added, SortedSet<String> removed) {
    }

    /** What the revision (a key of {@link #readBuilt}) adds and removes. */
    public static Delta delta(Map<String, SortedSet<String>> built, String revision) {
        List<String> revisions = new ArrayList<>(built.keySet());
        int position = revisions.indexOf(revision);
        if (position < 0) {
            throw new IllegalArgumentException("catalog.txt has no revision " + revision + "; regenerate it (BuiltCatalogTest)");
        }
        SortedSet<String> before = position > 0 ? built.get(revisions.get(position - 1)) : new TreeSet<>();
        SortedSet<String> added = new TreeSet<>(built.get(revision));
        added.removeAll(before);
        SortedSet<String> removed = new TreeSet<>(before);
        removed.removeAll(built.get(revision));
        return new Delta(added, removed);
    }

    /**
     * The line without the name of an index, constraint or trigger, which says what it does whatever it is called:
     * {@code index members = btree (category_id)}. Tables, columns, functions and types are what their names say.
     */
    public static String unnamed(String line) {
        String[] entry = parse(line);
        boolean namedFreely = entry[0].equals("index") || entry[0].equals("constraint") || entry[0].equals("trigger");
        return namedFreely ? line(entry[0], table(entry), entry[2]) : line;
    }

    /** The catalog file beside the revision's own file, as {@link #readBuilt} reads it. */
    public static Map<String, SortedSet<String>> builtBeside(ChangeSet changeSet) throws IOException {
        try (Reader file = new InputStreamReader(Scope.getCurrentScope().getResourceAccessor()
                .getExisting(changeSet.getChangeLog().getPhysicalFilePath()).resolveSibling("catalog.txt").openInputStream(),
                StandardCharsets.UTF_8)) {
            return readBuilt(file);
        }
    }

    /** The catalog file's text for the schema after each revision, in order. */
    public static String writeBuilt(String header, Map<String, SortedSet<String>> afterEach) {
        StringBuilder text = new StringBuilder(header);
        SortedSet<String> before = new TreeSet<>();
        for (Map.Entry<String, SortedSet<String>> revision : afterEach.entrySet()) {
            text.append("== ").append(revision.getKey()).append('\n');
            for (String line : before) {
                if (!revision.getValue().contains(line)) {
                    text.append("- ").append(line).append('\n');
                }
            }
            for (String line : revision.getValue()) {
                if (!before.contains(line)) {
                    text.append("+ ").append(line).append('\n');
                }
            }
            before = revision.getValue();
        }
        return text.toString();
    }

    /**
     * Where live differs from built, one sentence per difference. An object with another name and the same
     * definition is one difference (its name), a trigger or function that differs in name and definition on the
     * same table too; anything else is missing or not in the changelog.
     */
    public static List<String> differences(SortedSet<String> built, SortedSet<String> live) {
        List<String[]> missing = new ArrayList<>();
        List<String[]> extra = new ArrayList<>();
        built.stream().filter(line -> !live.contains(line)).forEach(line -> missing.add(parse(line)));
        live.stream().filter(line -> !built.contains(line)).forEach(line -> extra.add(parse(line)));
        List<String> sentences = new ArrayList<>();
        pair(missing, extra, sentences, (m, e) -> m[1].equals(e[1]),
                (m, e) -> m[0] + " " + m[1] + " is " + describe(e) + " here; the changelog builds " + describe(m));
        pair(missing, extra, sentences, (m, e) -> !m[2].isEmpty() && m[2].equals(e[2]) && table(m).equals(table(e)),
                (m, e) -> m[0] + " " + m[1] + " is named " + e[1].substring(e[1].indexOf('.') + 1) + " here (" + m[2] + ")");
        pair(missing, extra, sentences, (m, e) -> (m[0].equals("trigger") || m[0].equals("function")) && table(m).equals(table(e))
                        && missing.stream().filter(o -> o[0].equals(m[0]) && table(o).equals(table(m))).count() == 1
                        && extra.stream().filter(o -> o[0].equals(e[0]) && table(o).equals(table(e))).count() == 1,
                (m, e) -> m[0] + " " + m[1] + " (" + m[2] + ") is " + e[1] + " here (" + e[2] + ")");
        missing.forEach(m -> sentences.add(m[0] + " " + m[1] + " is not here; the changelog builds it" + (m[2].isEmpty() ? "" : " (" + m[2] + ")")));
        extra.forEach(e -> sentences.add(e[0] + " " + e[1] + " is here" + (e[2].isEmpty() ? "" : " (" + e[2] + ")") + "; the changelog does not build it"));
        return sentences;
    }

    private interface Match { boolean test(String[] missing, String[] extra); }
    private interface Sentence { String of(String[] missing, String[] extra); }

    private static void pair(List<String[]> missing, List<String[]> extra, List<String> sentences, Match match, Sentence sentence) {
        for (String[] m : List.copyOf(missing)) {
            for (String[] e : extra) {
                if (m[0].equals(e[0]) && match.test(m, e)) {
                    sentences.add(sentence.of(m, e));
                    missing.remove(m);
                    extra.remove(e);
                    break;
                }
            }
        }
    }

    /** kind, name, detail. */
    private static String[] parse(String line) {
        int space = line.indexOf(' ');
        int equals = line.indexOf(" = ");
        return new String[] {line.substring(0, space), line.substring(space + 1, equals < 0 ? line.length() : equals),
                equals < 0 ? "" : line.substring(equals + 3)};
    }

    /** The table part of a name (the whole name for tables, functions and types). */
    private static String table(String[] entry) {
        int dot = entry[1].indexOf('.');
        return entry[0].equals("function") || dot < 0 ? "" : entry[1].substring(0, dot);
    }

    private static String describe(String[] entry) {
        return entry[2].isEmpty() ? "there" : entry[2];
    }
}
