package org.opgate.ruletest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opgate.config.ConfigException;
import org.opgate.config.Diagnostics;
import org.opgate.config.YamlReader;
import org.opgate.flow.Flow;
import org.opgate.source.SourceLocation;

/**
 * Reads flows from CSV for {@code diff}:
 *
 * <pre>
 * host,sni,ip,port,operator
 * gb.srp.blackberry.com,,,3101,
 * ,goods.bbm.blackberry.com,,443,ufone
 * ,,68.171.224.9,3101,
 * </pre>
 *
 * The header names the columns, in any order: {@code port} and at least one of {@code host},
 * {@code sni}, {@code ip} are required; {@code operator} and {@code subscriber} are optional.
 * Empty cells are unknown facts. Blank lines and lines starting with {@code #} are skipped.
 * Cells are plain (no quoting: names, addresses and ports hold no commas). Every error is
 * reported with {@code file:line:column}.
 */
public final class FlowCsv {

    private static final Set<String> COLUMNS = YamlReader.keys("host", "sni", "ip", "port", "operator", "subscriber");

    private FlowCsv() {
    }

    /** @throws ConfigException with every error of the file */
    public static List<DiffFlow> read(Path file) throws ConfigException {
        String name = SuiteLoader.display(file);
        Diagnostics diag = new Diagnostics();
        if (Files.notExists(file)) {
            // YamlReader.read would say it expected a YAML file.
            diag.error(SourceLocation.of(name, 0, 0), "file '" + name + "' does not exist",
                    "an existing CSV file with header host,sni,ip,port[,operator]");
            diag.throwIfAny();
        }
        byte[] bytes = YamlReader.read(file, name, SourceLocation.of(name, 0, 0), diag);
        diag.throwIfAny();
        List<DiffFlow> out = new ArrayList<>();
        Map<String, Integer> header = null;
        String text = new String(bytes, StandardCharsets.UTF_8);
        // Spreadsheets save "CSV UTF-8" with a byte order mark; it is not part of the header.
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<Cell> cells = cells(line);
            if (header == null) {
                header = header(cells, name, lineNo, diag);
                if (header == null) {
                    break;
                }
                continue;
            }
            DiffFlow f = row(cells, header, name, lineNo, diag);
            if (f != null) {
                out.add(f);
            }
        }
        if (header == null && !diag.hasErrors()) {
            diag.error(SourceLocation.of(name, 1, 1), "file has no header line", "host,sni,ip,port[,operator]");
        } else if (out.isEmpty() && !diag.hasErrors()) {
            diag.error(SourceLocation.of(name, 1, 1), "file has no flows", "at least one line after the header");
        }
        diag.throwIfAny();
        return out;
    }

    private record Cell(String text, int column) {
    }

    private static List<Cell> cells(String line) {
        List<Cell> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = line.indexOf(',', start);
            String raw = comma < 0 ? line.substring(start) : line.substring(start, comma);
            int lead = raw.length() - raw.stripLeading().length();
            out.add(new Cell(raw.strip(), start + lead + 1));
            if (comma < 0) {
                return out;
            }
            start = comma + 1;
        }
    }

    private static Map<String, Integer> header(List<Cell> cells, String file, int line, Diagnostics diag) {
        Map<String, Integer> columns = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            SourceLocation at = SourceLocation.of(file, line, c.column());
            String col = c.text();
            if (!COLUMNS.contains(col)) {
                String hint = YamlReader.suggest(col, COLUMNS);
                diag.error(at, "unknown column '" + col + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?"),
                        "columns among " + String.join(", ", COLUMNS));
                ok = false;
            } else if (columns.putIfAbsent(col, i) != null) {
                diag.error(at, "column '" + col + "' appears twice", "each column once");
                ok = false;
            }
        }
        if (ok && !columns.containsKey("port")) {
            diag.error(SourceLocation.of(file, line, 1), "header has no 'port' column", "host,sni,ip,port[,operator]");
            ok = false;
        }
        if (ok && !columns.containsKey("host") && !columns.containsKey("sni") && !columns.containsKey("ip")) {
            diag.error(SourceLocation.of(file, line, 1), "header has none of host, sni, ip", "host,sni,ip,port[,operator]");
            ok = false;
        }
        return ok ? columns : null;
    }

    private static DiffFlow row(List<Cell> cells, Map<String, Integer> header, String file, int line, Diagnostics diag) {
        if (cells.size() != header.size()) {
            diag.error(SourceLocation.of(file, line, 1), "line has " + cells.size() + " cells, the header "
                    + header.size(), header.size() + " comma-separated cells, empty for unknown facts");
            return null;
        }
        int before = diag.count();
        Cell portCell = cells.get(header.get("port"));
        int port = 0;
        if (!portCell.text().matches("[0-9]{1,5}") || Integer.parseInt(portCell.text()) < 1
                || Integer.parseInt(portCell.text()) > 65535) {
            diag.error(SourceLocation.of(file, line, portCell.column()), "port '" + portCell.text() + "' is not a port",
                    "1..65535");
        } else {
            port = Integer.parseInt(portCell.text());
        }
        Flow.Builder b = Flow.builder().port(Math.max(port, 1));
        boolean any = false;
        for (String col : List.of("host", "sni", "ip", "operator", "subscriber")) {
            Integer idx = header.get(col);
            if (idx == null || cells.get(idx).text().isEmpty()) {
                continue;
            }
            Cell c = cells.get(idx);
            any |= col.equals("host") || col.equals("sni") || col.equals("ip");
            try {
                switch (col) {
                    case "host" -> b.host(c.text());
                    case "sni" -> b.sni(c.text());
                    case "ip" -> b.ip(c.text());
                    case "operator" -> b.operator(c.text());
                    default -> b.subscriber(c.text());
                }
            } catch (IllegalArgumentException e) {
                diag.error(SourceLocation.of(file, line, c.column()), col + " ", e);
            }
        }
        if (!any) {
            diag.error(SourceLocation.of(file, line, 1), "line has no host, sni or ip", "at least one of them");
        }
        if (diag.count() > before) {
            return null;
        }
        try {
            return new DiffFlow(b.build(), file + ":" + line);
        } catch (IllegalArgumentException e) {
            diag.error(SourceLocation.of(file, line, 1), "", e);
            return null;
        }
    }
}
