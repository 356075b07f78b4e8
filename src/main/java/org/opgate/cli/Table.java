package org.opgate.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text tables: columns as wide as their widest cell, two spaces apart. */
final class Table {

    private Table() {
    }

    static void print(PrintWriter out, String indent, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
