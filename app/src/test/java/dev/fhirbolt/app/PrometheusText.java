package dev.fhirbolt.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST ONLY: a strict reader of the Prometheus text exposition format 0.0.4: comment lines ({@code # HELP},
 * {@code # TYPE} once per family, before its samples), samples {@code name{label="value",...} value [timestamp]} with
 * valid names, escaped label values and Go float values; histogram buckets cumulative with {@code +Inf} = count.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP_LINE = Pattern.compile("# HELP (" + NAME + ")( .*)?");

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + lineNo + " breaks the text format: " + line + " (" + e.getMessage()
                        + ")", e);
            }
        }
        parsed.checkHistograms();
        return parsed;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            Matcher type = TYPE_LINE.matcher(line);
            if (type.matches()) {
                String family = type.group(1);
                if (types.put(family, type.group(2)) != null) {
                    throw new IllegalArgumentException("second TYPE line for " + family);
                }
                if (samples.stream().anyMatch(s -> familyOf(s.name()).equals(family))) {
                    throw new IllegalArgumentException("TYPE of " + family + " after its samples");
                }
            } else if (line.startsWith("# HELP") && !HELP_LINE.matcher(line).matches()) {
                throw new IllegalArgumentException("malformed HELP line");
            }
            return;
        }
        int i = 0;
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new IllegalArgumentException("no metric name");
        }
        i = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("too many fields after the labels");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        samples.add(new Sample(name.group(), labels, value(rest[0])));
    }

    /** Reads {@code name="value",...}} from i; answers the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (line.charAt(i) != '}') {
            Matcher name = LABEL_NAME.matcher(line).region(i, line.length());
            if (!name.lookingAt() || line.charAt(name.end()) != '=' || line.charAt(name.end() + 1) != '"') {
                throw new IllegalArgumentException("malformed label at " + i);
            }
            StringBuilder value = new StringBuilder();
            int j = name.end() + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(switch (next) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("bad escape \\" + next);
                    });
                } else {
                    value.append(c);
                }
            }
            if (labels.put(name.group(), value.toString()) != null) {
                throw new IllegalArgumentException("label " + name.group() + " twice");
            }
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            } else if (line.charAt(i) != '}') {
                throw new IllegalArgumentException("expected , or } at " + i);
            }
        }
        return i + 1;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new IllegalArgumentException("not a number: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private String familyOf(String sample) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return sample;
    }

    /** Every histogram series: buckets non-decreasing in le order, the +Inf bucket equal to _count. */
    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> series = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> key = new HashMap<>(s.labels());
                    key.remove("le");
                    series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
            series.forEach((labels, buckets) -> {
                buckets.sort((a, b) -> Double.compare(value(a.labels().get("le")), value(b.labels().get("le"))));
                for (int k = 1; k < buckets.size(); k++) {
                    if (buckets.get(k).value() < buckets.get(k - 1).value()) {
                        throw new AssertionError(family + " buckets are not cumulative: " + buckets);
                    }
                }
                Sample inf = buckets.get(buckets.size() - 1);
                if (!"+Inf".equals(inf.labels().get("le"))) {
                    throw new AssertionError(family + " has no +Inf bucket for " + labels);
                }
                double count = value(family + "_count", labels);
                if (count != inf.value()) {
                    throw new AssertionError(family + " +Inf bucket " + inf.value() + " but count " + count);
                }
            });
        });
    }

    /** The value of the one sample with this name and exactly these labels. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }

    /** Samples of this name whose labels include all of {@code having}. */
    List<Sample> find(String name, Map<String, String> having) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(having.entrySet())).toList();
    }
}
