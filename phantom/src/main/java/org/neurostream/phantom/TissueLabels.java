package org.neurostream.phantom;

import org.neurostream.imaging.Volume;

/** Hard labels from tissue fractions: the tissue that fills most of each voxel. */
final class TissueLabels {
    static final int BACKGROUND = 0;
    static final int CSF = 1;
    static final int GREY_MATTER = 2;
    static final int WHITE_MATTER = 3;
    static final int VENTRICLE = 4;
    static final int SCALP_OR_SKULL = 5;

    static Volume of(PhantomAnatomy anatomy, AtrophyState state) {
        Volume labels = PhantomGrid.empty();
        TissueModel model = new TissueModel(anatomy, state);
        TissueModel.Fractions f = new TissueModel.Fractions();
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    double[] p = labels.toPatient(i, j, k);
                    model.fractionsAt(p[0], p[1], p[2], f);
                    labels.set(i, j, k, dominant(f));
                }
            }
        }
        return labels;
    }

    private static int dominant(TissueModel.Fractions f) {
        double[] fractions = {1 - f.scalp - f.skull - f.csf - f.gm - f.wm - f.ventricle, f.csf, f.gm, f.wm,
            f.ventricle, f.scalp + f.skull};
        int best = BACKGROUND;
        for (int label = 1; label < fractions.length; label++) {
            if (fractions[label] > fractions[best]) {
                best = label;
            }
        }
        return best;
    }

    private TissueLabels() {
    }
}
