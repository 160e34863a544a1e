package org.mispsentinel.stix;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the STIX 2.1 patterning grammar, strict where our mapper could go
 * wrong: string escapes are only {@code \\} and {@code \'}, bare path segments are identifiers without
 * '-', keywords are upper case. It returns the comparisons so tests can read the literals back.
 */
final class StixPatternChecker {

    /** One property test; {@code path} holds names unquoted and list steps as "[*]" or "[n]". */
    record Comparison(String objectType, List<String> path, boolean negated, String operator, Object value) {
        String pathText() {
            StringBuilder b = new StringBuilder(objectType).append(':');
            for (int i = 0; i < path.size(); i++) {
                String step = path.get(i);
                if (!step.startsWith("[") && i > 0) {
                    b.append('.');
                }
                b.append(step);
            }
            return b.toString();
        }
    }

    record Hex(String digits) {
    }

    record Binary(String base64) {
    }

    record Timestamp(String text) {
    }

    record Parsed(List<Comparison> comparisons, int observations, Set<String> connectives) {
        Comparison single() {
            if (comparisons.size() != 1 || observations != 1) {
                throw new AssertionError("expected one comparison in one observation, got " + comparisons);
            }
            return comparisons.get(0);
        }
    }

    static final class PatternSyntaxError extends RuntimeException {
        PatternSyntaxError(String message, String pattern, int at) {
            super(message + " at " + at + " in: " + pattern);
        }
    }

    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES",
            "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN", "START", "STOP", "SECONDS", "TIMES", "WITHIN",
            "REPEATS", "true", "false");

    private final String src;
    private int pos;
    private final List<Comparison> comparisons = new ArrayList<>();
    private final java.util.TreeSet<String> connectives = new java.util.TreeSet<>();
    private int observations;

    private StixPatternChecker(String src) {
        this.src = src;
    }

    static Parsed parse(String pattern) {
        if (pattern == null) {
            throw new PatternSyntaxError("null pattern", "null", 0);
        }
        StixPatternChecker p = new StixPatternChecker(pattern);
        p.observationExpressions();
        p.skipSpace();
        if (p.pos != pattern.length()) {
            throw p.error("trailing input");
        }
        return new Parsed(List.copyOf(p.comparisons), p.observations, Set.copyOf(p.connectives));
    }

    // observationExpressions: orExpr (FOLLOWEDBY orExpr)*
    private void observationExpressions() {
        observationOr();
        while (keyword("FOLLOWEDBY")) {
            connectives.add("FOLLOWEDBY");
            observationOr();
        }
    }

    private void observationOr() {
        observationAnd();
        while (keyword("OR")) {
            connectives.add("OR");
            observationAnd();
        }
    }

    private void observationAnd() {
        observation();
        while (keyword("AND")) {
            connectives.add("AND");
            observation();
        }
    }

    private void observation() {
        skipSpace();
        if (accept('[')) {
            observations++;
            comparisonOr();
            expect(']');
        } else if (accept('(')) {
            observationExpressions();
            expect(')');
        } else {
            throw error("expected '[' or '('");
        }
        qualifiers();
    }

    private void qualifiers() {
        while (true) {
            if (keyword("START")) {
                timestamp();
                if (!keyword("STOP")) {
                    throw error("expected STOP");
                }
                timestamp();
            } else if (keyword("WITHIN")) {
                Object n = number();
                if (!(n instanceof Number) || ((Number) n).doubleValue() <= 0) {
                    throw error("WITHIN needs a positive number");
                }
                if (!keyword("SECONDS")) {
                    throw error("expected SECONDS");
                }
            } else if (keyword("REPEATS")) {
                Object n = number();
                if (!(n instanceof Long) || (Long) n <= 0) {
                    throw error("REPEATS needs a positive integer");
                }
                if (!keyword("TIMES")) {
                    throw error("expected TIMES");
                }
            } else {
                return;
            }
        }
    }

    private void comparisonOr() {
        comparisonAnd();
        while (keyword("OR")) {
            connectives.add("OR");
            comparisonAnd();
        }
    }

    private void comparisonAnd() {
        propTest();
        while (keyword("AND")) {
            connectives.add("AND");
            propTest();
        }
    }

    private void propTest() {
        skipSpace();
        if (accept('(')) {
            comparisonOr();
            expect(')');
            return;
        }
        if (keyword("EXISTS")) {
            Object[] path = objectPath();
            comparisons.add(comparison(path, false, "EXISTS", null));
            return;
        }
        Object[] path = objectPath();
        boolean negated = keyword("NOT");
        skipSpace();
        String op;
        Object value;
        if (accept("!=")) {
            op = "!=";
            value = primitiveLiteral();
        } else if (accept("<=")) {
            op = "<=";
            value = orderable();
        } else if (accept(">=")) {
            op = ">=";
            value = orderable();
        } else if (accept('=')) {
            op = "=";
            value = primitiveLiteral();
        } else if (accept('<')) {
            op = "<";
            value = orderable();
        } else if (accept('>')) {
            op = ">";
            value = orderable();
        } else if (keyword("IN")) {
            op = "IN";
            value = setLiteral();
        } else if (keyword("LIKE")) {
            op = "LIKE";
            value = stringOnly();
        } else if (keyword("MATCHES")) {
            op = "MATCHES";
            value = stringOnly();
        } else if (keyword("ISSUBSET")) {
            op = "ISSUBSET";
            value = stringOnly();
        } else if (keyword("ISSUPERSET")) {
            op = "ISSUPERSET";
            value = stringOnly();
        } else {
            throw error("expected a comparison operator");
        }
        comparisons.add(comparison(path, negated, op, value));
    }

    @SuppressWarnings("unchecked")
    private static Comparison comparison(Object[] path, boolean negated, String op, Object value) {
        return new Comparison((String) path[0], List.copyOf((List<String>) path[1]), negated, op, value);
    }

    // objectPath: objectType ':' first (('.' step) | ('[' index ']'))*
    private Object[] objectPath() {
        skipSpace();
        String type = identifier(true);
        if (type == null) {
            throw error("expected an object type");
        }
        if (KEYWORDS.contains(type)) {
            throw error("keyword used as object type");
        }
        if (!accept(':')) {
            throw error("expected ':' after object type");
        }
        List<String> steps = new ArrayList<>();
        steps.add(pathName());
        while (true) {
            if (accept('.')) {
                steps.add(pathName());
            } else if (accept('[')) {
                if (accept('*')) {
                    steps.add("[*]");
                } else {
                    Object index = number();
                    if (!(index instanceof Long)) {
                        throw error("list index must be an integer or *");
                    }
                    steps.add("[" + index + "]");
                }
                expect(']');
            } else {
                break;
            }
        }
        return new Object[] {type, steps};
    }

    /** A bare identifier without '-' or a quoted string. */
    private String pathName() {
        if (peek() == '\'') {
            return string();
        }
        String name = identifier(false);
        if (name == null) {
            throw error("expected a property name");
        }
        if (peek() == '-') {
            throw error("a property name with '-' must be quoted");
        }
        return name;
    }

    private String identifier(boolean hyphens) {
        int start = pos;
        if (pos < src.length() && isIdentStart(src.charAt(pos))) {
            pos++;
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (isIdentStart(c) || (c >= '0' && c <= '9') || (hyphens && c == '-')) {
                    pos++;
                } else {
                    break;
                }
            }
            return src.substring(start, pos);
        }
        return null;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private Object primitiveLiteral() {
        skipSpace();
        if (src.startsWith("true", pos) && !identContinues(pos + 4)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (src.startsWith("false", pos) && !identContinues(pos + 5)) {
            pos += 5;
            return Boolean.FALSE;
        }
        return orderable();
    }

    private Object orderable() {
        skipSpace();
        char c = peek();
        if (c == '\'') {
            return string();
        }
        if ((c == 'h' || c == 'b' || c == 't') && pos + 1 < src.length() && src.charAt(pos + 1) == '\'') {
            pos++;
            String body = string();
            if (c == 'h') {
                if (body.length() % 2 != 0 || !body.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
                    throw error("bad hex literal");
                }
                return new Hex(body);
            }
            if (c == 'b') {
                if (!body.matches("[A-Za-z0-9+/]*={0,2}") || body.length() % 4 != 0) {
                    throw error("bad binary literal");
                }
                return new Binary(body);
            }
            if (!body.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z")) {
                throw error("bad timestamp literal");
            }
            return new Timestamp(body);
        }
        return number();
    }

    private String stringOnly() {
        skipSpace();
        if (peek() != '\'') {
            throw error("expected a string literal");
        }
        return string();
    }

    private List<Object> setLiteral() {
        skipSpace();
        expect('(');
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (accept(')')) {
            return items;
        }
        do {
            items.add(primitiveLiteral());
            skipSpace();
        } while (accept(','));
        expect(')');
        return items;
    }

    /** '...' with only \\ and \' as escapes; returns the unescaped text. */
    private String string() {
        if (!accept('\'')) {
            throw error("expected a string literal");
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw error("unterminated string literal");
            }
            char c = src.charAt(pos++);
            if (c == '\'') {
                return out.toString();
            }
            if (c == '\\') {
                if (pos >= src.length()) {
                    throw error("unterminated escape");
                }
                char e = src.charAt(pos++);
                if (e != '\\' && e != '\'') {
                    throw error("invalid escape \\" + e);
                }
                out.append(e);
            } else {
                out.append(c);
            }
        }
    }

    /** Int (Long or BigInteger) or float (Double), per the grammar: no leading zeros, optional sign. */
    private Object number() {
        skipSpace();
        int start = pos;
        if (peek() == '+' || peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) {
            pos++;
        }
        boolean isFloat = false;
        if (peek() == '.') {
            isFloat = true;
            pos++;
            int frac = pos;
            while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == frac) {
                throw error("float without digits after '.'");
            }
        }
        String text = src.substring(start, pos);
        if (pos == digitsStart) {
            throw error("expected a literal");
        }
        if (identContinues(pos)) {
            throw error("garbage after number");
        }
        if (isFloat) {
            return Double.valueOf(text);
        }
        String digits = src.substring(digitsStart, pos);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw error("integer with leading zero");
        }
        BigInteger big = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private void timestamp() {
        skipSpace();
        Object t = orderable();
        if (!(t instanceof Timestamp)) {
            throw error("expected a timestamp literal");
        }
    }

    private boolean identContinues(int at) {
        if (at >= src.length()) {
            return false;
        }
        char c = src.charAt(at);
        return isIdentStart(c) || (c >= '0' && c <= '9') || c == '-';
    }

    private boolean keyword(String word) {
        skipSpace();
        if (src.startsWith(word, pos) && !identContinues(pos + word.length())) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else {
                break;
            }
        }
    }

    private char peek() {
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    private boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean accept(String s) {
        if (src.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (!accept(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private PatternSyntaxError error(String message) {
        return new PatternSyntaxError(message, src, pos);
    }
}
