package dev.fhirbolt.search.query;

import java.util.List;

/**
 * The ids in every one of several id-ordered streams (the AND of clauses that stream), found by leapfrogging: the
 * streams behind the largest id seen seek to it, so a stream with few ids keeps the others skipping ahead and no
 * clause needs to be counted first.
 */
final class IntersectIdStream implements IdStream {

    private final List<IdStream> streams;
    private final String[] heads;
    private boolean started;

    IntersectIdStream(List<IdStream> streams) {
        this.streams = streams;
        this.heads = new String[streams.size()];
    }

    @Override
    public String next() {
        if (!started) {
            started = true;
            for (int i = 0; i < heads.length; i++) {
                heads[i] = streams.get(i).next();
            }
        } else {
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] == null) {
                    return null;
                }
                heads[i] = streams.get(i).next();
            }
        }
        while (true) {
            String max = null;
            for (String h : heads) {
                if (h == null) {
                    return null;
                }
                if (max == null || h.compareTo(max) > 0) {
                    max = h;
                }
            }
            boolean aligned = true;
            for (int i = 0; i < heads.length; i++) {
                if (!heads[i].equals(max)) {
                    IdStream s = streams.get(i);
                    s.seek(max);
                    heads[i] = s.next();
                    aligned = false;
                }
            }
            if (aligned) {
                return max;
            }
        }
    }

    @Override
    public void seek(String id) {
        for (IdStream s : streams) {
            s.seek(id);
        }
        started = false;
    }
}
