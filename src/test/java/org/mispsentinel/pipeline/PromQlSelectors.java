package org.mispsentinel.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series a PromQL expression (or a Grafana {@code label_values(series, label)} query) reads, with
 * the labels it selects or groups on: just enough PromQL to hold a dashboard and alert rules to the
 * series the metrics endpoint serves.
 */
final class PromQlSelectors {

    /** A series name, and the labels the expression needs it to carry. */
    record Selector(String name, Set<String> labels) {
    }

    /** Binary operators, modifiers, and the aggregations, which may stand before their by (...) clause. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "group_left",
            "group_right", "on", "ignoring", "by", "without", "sum", "min", "max", "avg", "group", "stddev",
            "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Pattern MATCHER = Pattern.compile("([A-Za-z_]\\w*)\\s*(=~|!~|!=|=)");

    private PromQlSelectors() {
    }

    /** @return the selectors, each also needing the labels the expression groups by */
    static List<Selector> of(String expression) {
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.find()) {
            return List.of(new Selector(labelValues.group(1), Set.of(labelValues.group(2))));
        }
        List<String> names = new ArrayList<>();
        List<Set<String>> matched = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        String e = expression;
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c == '"' || c == '\'') {
                i = e.indexOf(c, i + 1) + 1;
            } else if (c == '[') {
                i = e.indexOf(']', i) + 1; // a range or subquery: durations and Grafana variables
            } else if (c == '$') {
                i = end(e, i + 1);
            } else if (Character.isDigit(c) || c == '.') {
                i = end(e, i + 1); // a number, with its exponent or unit letters
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = end(e, i);
                String word = e.substring(i, end);
                int next = skipSpaces(e, end);
                boolean call = next < e.length() && e.charAt(next) == '(';
                if (GROUPING.contains(word) && call) {
                    int close = e.indexOf(')', next);
                    for (String label : e.substring(next + 1, close).split(",")) {
                        if (!label.isBlank()) {
                            grouping.add(label.trim());
                        }
                    }
                    i = close + 1;
                } else if (call || KEYWORDS.contains(word)) {
                    i = end;
                } else {
                    Set<String> labels = new LinkedHashSet<>();
                    i = end;
                    if (next < e.length() && e.charAt(next) == '{') {
                        int close = e.indexOf('}', next);
                        Matcher m = MATCHER.matcher(e.substring(next + 1, close).replaceAll("\"[^\"]*\"", "\"\""));
                        while (m.find()) {
                            labels.add(m.group(1));
                        }
                        i = close + 1;
                    }
                    names.add(word);
                    matched.add(labels);
                }
            } else if (c == '{') {
                throw new IllegalArgumentException("a selector without a series name: " + expression);
            } else {
                i++;
            }
        }
        List<Selector> selectors = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            Set<String> labels = new LinkedHashSet<>(matched.get(s));
            labels.addAll(grouping);
            selectors.add(new Selector(names.get(s), labels));
        }
        return selectors;
    }

    private static int end(String e, int from) {
        int i = from;
        while (i < e.length() && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == ':')) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String e, int from) {
        int i = from;
        while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
            i++;
        }
        return i;
    }
}
