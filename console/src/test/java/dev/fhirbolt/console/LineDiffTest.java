package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LineDiffTest {

    private static String show(List<LineDiff.Line> lines) {
        return lines.stream().map(l -> l.kind() + l.text()).collect(Collectors.joining("|"));
    }

    @Test
    void keepsCommonLinesAndMarksTheChangedOnes() {
        assertEquals(" a|-b|+B| c|+d", show(LineDiff.diff("a\nb\nc", "a\nB\nc\nd")));
    }

    @Test
    void identicalTextsHaveNoChanges() {
        assertEquals(" x| y", show(LineDiff.diff("x\ny", "x\ny")));
    }

    @Test
    void compactKeepsContextAroundChangesAndElidesTheRest() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9";
        String after = "1\n2\n3\n4\nfive\n6\n7\n8\n9";
        assertEquals("…| 4|-5|+five| 6|…", show(LineDiff.compact(LineDiff.diff(before, after), 1)));
    }
}
