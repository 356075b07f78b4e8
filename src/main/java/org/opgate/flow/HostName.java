package org.opgate.flow;

import java.net.IDN;
import java.util.Locale;

/**
 * Host name normalisation shared by rules and flows, so both sides compare the same text:
 * lower case, no trailing dot, IDN labels as punycode ({@code xn--}), and RFC 1123 label syntax
 * (letters, digits, hyphen; underscore tolerated because real service names use it).
 */
public final class HostName {

    public static final int MAX_LENGTH = 253;

    private HostName() {
    }

    /**
     * Normalises a host name.
     *
     * @throws IllegalArgumentException naming the value, what is wrong and what was expected
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty host name (expected: a name like gb.srp.blackberry.com)");
        }
        String s = raw;
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("'" + raw + "' is not a host name (expected: a name like gb.srp.blackberry.com)");
        }
        if (!isAscii(s)) {
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + raw + "' is not a valid internationalised name: "
                        + e.getMessage() + " (expected: a name IDNA can convert to punycode)");
            }
        }
        s = s.toLowerCase(Locale.ROOT);
        String problem = syntaxProblem(s);
        if (problem != null) {
            throw new IllegalArgumentException("'" + raw + "' is not a host name: " + problem);
        }
        return s;
    }

    /** True if every character of {@code s} is ASCII (a name outside it must go as punycode). */
    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String syntaxProblem(String s) {
        if (s.length() > MAX_LENGTH) {
            return "length " + s.length() + " (expected: at most " + MAX_LENGTH + " characters)";
        }
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0) {
                    return "empty label (expected: labels separated by single dots)";
                }
                if (len > 63) {
                    return "label of " + len + " characters (expected: at most 63)";
                }
                if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return "label '" + s.substring(labelStart, i) + "' starts or ends with '-'"
                            + " (expected: letters or digits at both ends)";
                }
                labelStart = i + 1;
                continue;
            }
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return "character '" + c + "' (expected: letters, digits, '-', '.')";
            }
        }
        return null;
    }

    /** True if {@code name} equals {@code suffix} or lies below it ({@code a.b} under {@code b}). */
    public static boolean isAtOrBelow(String name, String suffix) {
        int n = name.length();
        int s = suffix.length();
        if (n == s) {
            return name.equals(suffix);
        }
        return n > s && name.charAt(n - s - 1) == '.' && name.endsWith(suffix);
    }
}
