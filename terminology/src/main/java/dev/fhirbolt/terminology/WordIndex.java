package dev.fhirbolt.terminology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * The words of every concept's code and display, lower-cased and sorted, each with its concept's ordinal: the
 * concepts with a word starting with a prefix are one binary search and a walk over the words that start with it.
 */
final class WordIndex {

    private final String[] words;
    private final int[] owners;

    private WordIndex(String[] words, int[] owners) {
        this.words = words;
        this.owners = owners;
    }

    static WordIndex of(ConceptDefinitionComponent[] concepts) {
        record Entry(String word, int owner) {
        }
        List<Entry> entries = new ArrayList<>(concepts.length * 3);
        for (int i = 0; i < concepts.length; i++) {
            for (String w : words(concepts[i].getCode(), concepts[i].getDisplay())) {
                entries.add(new Entry(w, i));
            }
        }
        entries.sort((a, b) -> a.word.compareTo(b.word));
        String[] ws = new String[entries.size()];
        int[] os = new int[entries.size()];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = entries.get(i).word;
            os[i] = entries.get(i).owner;
        }
        return new WordIndex(ws, os);
    }

    /** The distinct words of a code and a display. */
    static List<String> words(String code, String display) {
        List<String> out = new ArrayList<>();
        if (code != null) {
            out.add(code.toLowerCase(Locale.ROOT));
        }
        if (display != null) {
            for (String w : split(display)) {
                if (!out.contains(w)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    BitSet matching(String text, int size) {
        BitSet result = null;
        for (String prefix : split(text)) {
            BitSet these = new BitSet(size);
            int i = lowerBound(prefix);
            while (i < words.length && words[i].startsWith(prefix)) {
                these.set(owners[i++]);
            }
            if (result == null) {
                result = these;
            } else {
                result.and(these);
            }
            if (result.isEmpty()) {
                return result;
            }
        }
        if (result == null) {
            result = new BitSet(size);
            result.set(0, size);
        }
        return result;
    }

    static boolean matches(String code, String display, String text) {
        List<String> have = words(code, display);
        for (String prefix : split(text)) {
            if (have.stream().noneMatch(w -> w.startsWith(prefix))) {
                return false;
            }
        }
        return true;
    }

    private int lowerBound(String key) {
        int i = Arrays.binarySearch(words, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && words[i - 1].equals(key)) {
            i--;
        }
        return i;
    }
}
