package dev.fhirbolt.search.query;

import java.util.List;
import java.util.PriorityQueue;

/** The union of id-ordered streams (the OR'd values of one parameter), still in id order and without repeats. */
final class MergedIdStream implements IdStream {

    private record Head(String id, IdStream stream) {
    }

    private final List<IdStream> streams;
    private PriorityQueue<Head> heads;
    private String last;

    MergedIdStream(List<IdStream> streams) {
        this.streams = streams;
    }

    private void fill() {
        heads = new PriorityQueue<>(Math.max(1, streams.size()), (a, b) -> a.id().compareTo(b.id()));
        for (IdStream s : streams) {
            String id = s.next();
            if (id != null) {
                heads.add(new Head(id, s));
            }
        }
    }

    @Override
    public String next() {
        if (heads == null) {
            fill();
        }
        while (!heads.isEmpty()) {
            Head head = heads.poll();
            String following = head.stream().next();
            if (following != null) {
                heads.add(new Head(following, head.stream()));
            }
            if (!head.id().equals(last)) {
                last = head.id();
                return last;
            }
        }
        return null;
    }

    @Override
    public void seek(String id) {
        for (IdStream s : streams) {
            s.seek(id);
        }
        last = null;
        fill();
    }
}
