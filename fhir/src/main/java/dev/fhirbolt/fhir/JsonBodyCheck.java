package dev.fhirbolt.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses a JSON body that would not be stored as it was sent: bytes that are not UTF-8 (a lenient decoder turns them
 * into U+FFFD), a lone UTF-16 surrogate, raw or escaped (no valid JSON text can then be written back), and an object
 * with the same member twice (a parser silently keeps the last). Any other syntax error is left to the FHIR parser,
 * whose message names it.
 */
public final class JsonBodyCheck {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonBodyCheck() {
    }

    /** Throws a 400 FhirException naming the first such fault, and its place in the body. */
    public static void check(byte[] body) {
        Utf8.firstInvalid(body).ifPresent(offset -> {
            throw new FhirException(400, IssueType.STRUCTURE, "the body is not valid UTF-8: byte " + offset
                    + " (0x" + Integer.toHexString(body[offset] & 0xff).toUpperCase(java.util.Locale.ROOT)
                    + ") does not belong to a UTF-8 character; send JSON encoded in UTF-8");
        });
        try (JsonParser parser = FACTORY.createParser(body)) {
            List<Members> levels = new ArrayList<>(); // one per nesting depth, reused: a Bundle has millions of objects
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> {
                        if (levels.size() == depth) {
                            levels.add(new Members());
                        }
                        levels.get(depth++).clear();
                    }
                    case END_OBJECT -> depth--;
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        checkSurrogates(name, parser);
                        if (!levels.get(depth - 1).add(name)) {
                            throw fault("has the member '" + name + "' twice in one object", parser);
                        }
                    }
                    case VALUE_STRING -> checkSurrogates(java.nio.CharBuffer.wrap(parser.getTextCharacters(),
                            parser.getTextOffset(), parser.getTextLength()), parser);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // malformed JSON: the FHIR parser reports it with its own message
        }
    }

    /** The member names of one object so far: a short list (objects are small), a set once it is not. */
    private static final class Members {
        private final String[] few = new String[12];
        private int count;
        private Set<String> many;

        void clear() {
            count = 0;
            many = null;
        }

        boolean add(String name) {
            if (many != null) {
                return many.add(name);
            }
            for (int i = 0; i < count; i++) {
                if (few[i].equals(name)) {
                    return false;
                }
            }
            if (count < few.length) {
                few[count++] = name;
                return true;
            }
            many = new HashSet<>(java.util.Arrays.asList(few));
            return many.add(name);
        }
    }

    /** Values are read in the parser's own buffer: no String is made for the millions of values of a large Bundle. */
    private static void checkSurrogates(CharSequence text, JsonParser parser) {
        int end = text.length();
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else {
                throw fault("holds a lone UTF-16 surrogate (\\u" + Integer.toHexString(c)
                        + "), which is not a character", parser);
            }
        }
    }

    private static FhirException fault(String what, JsonParser parser) {
        var at = parser.currentTokenLocation();
        return new FhirException(400, IssueType.STRUCTURE, "the JSON body " + what + " (line " + at.getLineNr()
                + ", column " + at.getColumnNr() + ")");
    }
}
