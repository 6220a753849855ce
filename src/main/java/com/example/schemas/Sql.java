package com.example.schemas;

/** Text made safe to put into SQL. */
public final class Sql {

    private Sql() {
    }

    /** A string literal: 'it''s'. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A quoted identifier: "order". */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
