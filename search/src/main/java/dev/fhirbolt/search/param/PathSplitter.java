package dev.fhirbolt.search.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Narrows a parameter's FHIRPath union to the branches that apply to one resource type: the definitions shared by
 * many types ("AllergyIntolerance.patient | CarePlan.subject...") would otherwise evaluate dozens of dead branches.
 */
public final class PathSplitter {

    private PathSplitter() {
    }

    /** The branches of the top-level union, untouched. */
    public static List<String> branches(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'' && (i == 0 || expression.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == '|') {
                parts.add(expression.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(expression.substring(start).trim());
        parts.removeIf(String::isEmpty);
        return parts;
    }

    /** The union of the branches that can produce values for {@code type}; empty when none can. */
    public static String forType(String expression, String type, Set<String> resourceTypes) {
        List<String> kept = new ArrayList<>();
        for (String branch : branches(expression)) {
            String head = head(branch);
            if (head.equals(type) || head.equals("Resource") || head.equals("DomainResource")
                    || !resourceTypes.contains(head)) {
                kept.add(branch);
            }
        }
        return String.join(" | ", kept);
    }

    private static String head(String branch) {
        int i = 0;
        while (i < branch.length() && (branch.charAt(i) == '(' || branch.charAt(i) == ' ')) {
            i++;
        }
        int end = i;
        while (end < branch.length() && Character.isLetterOrDigit(branch.charAt(end))) {
            end++;
        }
        return branch.substring(i, end);
    }
}
