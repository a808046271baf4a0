package org.neurostream.sink;

import java.util.ArrayList;
import java.util.List;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.Lesion;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;

/** The measurements of a result in a fixed order: P(decline), new lesions (each, then totals), tissue, change. */
public final class Measurements {
    public static final Code ML = Code.ucum("mL", "milliliter");
    public static final Code PERCENT = Code.ucum("%", "percent");
    public static final Code NO_UNITS = Code.ucum("1", "no units");
    public static final Code LESIONS = Code.ucum("{lesions}", "lesions");

    public static final Code VOLUME = Code.sct("118565006", "Volume");
    public static final Code P_DECLINE = Code.own("NS-PDECLINE", "Probability of decline");
    public static final Code NEW_LESION_COUNT = Code.own("NS-NLCOUNT", "Number of new lesions");
    public static final Code NEW_LESION_VOLUME = Code.own("NS-NLVOLUME", "Total volume of new lesions");
    public static final Code LESION_PROBABILITY = Code.own("NS-LESPROB", "Mean lesion probability");
    public static final Code GREY_MATTER = Code.own("NS-GMVOL", "Grey matter volume");
    public static final Code WHITE_MATTER = Code.own("NS-WMVOL", "White matter volume");
    public static final Code CSF = Code.own("NS-CSFVOL", "Cerebrospinal fluid volume");
    public static final Code BPF = Code.own("NS-BPF", "Brain parenchymal fraction");
    public static final Code VENTRICLES = Code.own("NS-VENTVOL", "Ventricular volume");
    public static final Code PBVC = Code.own("NS-PBVC", "Percent brain volume change");
    public static final Code VENTRICLE_CHANGE = Code.own("NS-VENTCHG", "Percent ventricular volume change");

    private Measurements() {
    }

    public static List<Measurement> of(AnalysisResult r) {
        List<Measurement> out = new ArrayList<>();
        if (r.getPDecline() != null) {
            out.add(new Measurement("p-decline", P_DECLINE, r.getPDecline(), NO_UNITS, "change", null));
        }
        NewLesions nl = r.getNewLesions();
        if (nl != null) {
            for (Lesion l : nl.getLesions()) {
                String group = "new lesion " + l.getLabel();
                out.add(new Measurement("lesion-" + l.getLabel() + "-volume", VOLUME, l.getVolumeMl(), ML, group,
                        null));
            }
            out.add(new Measurement("new-lesion-count", NEW_LESION_COUNT, nl.getCount(), LESIONS, "new lesions",
                    null));
            out.add(new Measurement("new-lesion-volume", NEW_LESION_VOLUME, nl.getTotalVolumeMl(), ML,
                    "new lesions", null));
        }
        TissueChange t = r.getTissue();
        if (t != null) {
            tissue(out, t.getPrior(), "prior");
            tissue(out, t.getCurrent(), "current");
            out.add(new Measurement("pbvc", PBVC, t.getPbvcPercent(), PERCENT, "change", null));
            if (t.getVentricleChangePercent() != null) {
                out.add(new Measurement("ventricle-change", VENTRICLE_CHANGE, t.getVentricleChangePercent(),
                        PERCENT, "change", null));
            }
        }
        return out;
    }

    private static void tissue(List<Measurement> out, TissueVolumes v, String visit) {
        String group = "tissue, " + visit + " visit";
        out.add(new Measurement(visit + "-grey-matter", GREY_MATTER, v.getGreyMatterMl(), ML, group, visit));
        out.add(new Measurement(visit + "-white-matter", WHITE_MATTER, v.getWhiteMatterMl(), ML, group, visit));
        out.add(new Measurement(visit + "-csf", CSF, v.getCsfMl(), ML, group, visit));
        out.add(new Measurement(visit + "-bpf", BPF, v.getBrainParenchymalFraction(), NO_UNITS, group, visit));
        if (v.getVentriclesMl() != null) {
            out.add(new Measurement(visit + "-ventricles", VENTRICLES, v.getVentriclesMl(), ML, group, visit));
        }
    }
}
