package dev.fhirbolt.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The dashboard's jobs: the user's loads and exports started from the console, and the server's reindex jobs. */
final class JobList {

    private static final int SHOWN = 8;

    private JobList() {
    }

    static List<EditViews.JobRow> of(Visit v, Loads loads, Exports exports) {
        String owner = v.session() == null ? "" : v.session().id;
        List<EditViews.JobRow> out = new ArrayList<>();
        for (Loads.Load l : loads.of(owner)) {
            if (out.size() == SHOWN) {
                break;
            }
            var row = DataPage.row(l);
            out.add(new EditViews.JobRow("load", l.name, row.state() + " · " + l.committed.get() + " committed"
                    + (l.failed.get() > 0 ? ", " + l.failed.get() + " refused" : ""), l.started.toString()));
        }
        int exportsShown = 0;
        for (Exports.Job j : exports.of(owner)) {
            if (exportsShown++ == 3) {
                break;
            }
            var row = DataPage.exportRow(v, j);
            out.add(new EditViews.JobRow("export", j.level(), row.state() + (row.files().isEmpty() ? ""
                    : " · " + row.files().size() + " files"), j.started().toString()));
        }
        FhirGateway.Reply r = v.fhir().call("GET", "/$reindex", null, null, Map.of());
        if (r.status() == 200) {
            int shown = 0;
            for (EditViews.Issue i : Outcomes.issues(JsonTexts.parse(r.body()))) {
                if (shown++ == 3) {
                    break;
                }
                out.add(new EditViews.JobRow("reindex", "", i.text(), ""));
            }
        }
        return out;
    }
}
