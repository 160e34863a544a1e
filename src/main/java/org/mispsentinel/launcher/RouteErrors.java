package org.mispsentinel.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/** Turns a failure to load or build the routes into "file:line: reason", the way an editor wants it. */
final class RouteErrors {

    // Camel names the failing step as ">>> Bean[ref:x method:y] <<<"
    private static final Pattern FAILED_STEP = Pattern.compile(">>> (.*?) <<<");

    // "Property with key [misp.url] not found in properties from text: {{misp.url}}"
    private static final Pattern PROPERTY_KEY = Pattern.compile("\\[([^\\]]+)\\]");

    private RouteErrors() {
    }

    static String locate(Throwable failure, CamelContext context) {
        String reason = rootMessage(failure);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked && marked.getProblemMark().isPresent()) {
                Mark mark = marked.getProblemMark().get();
                return strip(mark.getName()) + ":" + (mark.getLine() + 1) + ": " + firstLine(marked.getMessage());
            }
            if (t instanceof FailedToCreateRouteException created && context instanceof ModelCamelContext model) {
                RouteDefinition route = model.getRouteDefinition(created.getRouteId());
                if (route != null && route.getLocation() != null) {
                    ProcessorDefinition<?> step = failedStep(created.getMessage()).flatMap(text -> find(route, text))
                            .orElse(null);
                    String culprit = culprit(failure);
                    // Camel names the outermost step that failed (a filter, a doTry); the line is the
                    // one inside it that names the missing bean or key
                    ProcessorDefinition<?> exact = culprit == null ? null
                            : deepestNaming(step != null ? step : route, culprit);
                    ProcessorDefinition<?> at = exact != null ? exact : step != null ? step : route;
                    int line = at.getLineNumber() > 0 ? at.getLineNumber() : route.getLineNumber();
                    return strip(route.getLocation()) + ":" + line + ": route " + route.getId() + ": " + reason;
                }
            }
        }
        return "routes not valid: " + reason;
    }

    private static Optional<String> failedStep(String message) {
        Matcher m = FAILED_STEP.matcher(message == null ? "" : message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<ProcessorDefinition<?>> find(ProcessorDefinition<?> node, String step) {
        for (ProcessorDefinition<?> child : children(node)) {
            if (step.equals(child.toString())) {
                return Optional.of(child);
            }
            Optional<ProcessorDefinition<?>> inside = find(child, step);
            if (inside.isPresent()) {
                return inside;
            }
        }
        return Optional.empty();
    }

    private static ProcessorDefinition<?> deepestNaming(ProcessorDefinition<?> node, String culprit) {
        for (ProcessorDefinition<?> child : children(node)) {
            ProcessorDefinition<?> inside = deepestNaming(child, culprit);
            if (inside != null) {
                return inside;
            }
        }
        return node.toString().contains(culprit) ? node : null;
    }

    /** A doTry keeps its doCatch and doFinally apart from its steps. */
    private static List<ProcessorDefinition<?>> children(ProcessorDefinition<?> node) {
        List<ProcessorDefinition<?>> all = new ArrayList<>(node.getOutputs());
        if (node instanceof TryDefinition attempt) {
            all.addAll(attempt.getCatchClauses());
            if (attempt.getFinallyClause() != null) {
                all.add(attempt.getFinallyClause());
            }
        }
        return all;
    }

    /** The bean name or property key the failure is about, when it names one. */
    private static String culprit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchBeanException missing && missing.getName() != null) {
                return missing.getName();
            }
        }
        Matcher key = PROPERTY_KEY.matcher(rootMessage(failure));
        return key.find() ? key.group(1) : null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String strip(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }
}
