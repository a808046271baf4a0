package org.neurostream.training;

import org.neurostream.imaging.Volume;
import org.neurostream.inference.ConformedVolume;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;

/**
 * One phantom T1 as the tissue model sees it: conformed exactly as the served model conforms it (the card's
 * preprocessing), in LIA tensor order, with the phantom's own labels carried onto that grid as the model's classes
 * (0 background or CSF, 1 white matter, 2 grey matter: brainchop's convention, so the fine-tuned model is a drop-in
 * for the pretrained one). The phantom labels use TissueSegmenter's values (2 grey, 3 white), as the evaluation
 * assumes.
 *
 * @param n the conformed grid's edge (tensors are n^3, d2 fastest)
 * @param image the conformed, scaled T1
 * @param classes the class of every voxel
 * @param brain tensor indices of grey and white matter voxels (where most patches are centred)
 */
public record TissueVisit(int n, float[] image, byte[] classes, int[] brain) {
    static final byte WHITE = 1;
    static final byte GREY = 2;

    public static TissueVisit of(ColinPhantomGenerator.Visit visit, ModelCard.Preprocessing preprocessing) {
        ConformedVolume conformed = ConformedVolume.of(visit.t1(), preprocessing);
        Volume labels = ConformedVolume.nearestOnto(visit.labels(), conformed.grid());
        float[] lia = ConformedVolume.liaTensor(labels);
        byte[] classes = new byte[lia.length];
        int count = 0;
        for (int v = 0; v < lia.length; v++) {
            classes[v] = lia[v] == TissueSegmenter.WHITE ? WHITE : lia[v] == TissueSegmenter.GREY ? GREY : 0;
            if (classes[v] != 0) {
                count++;
            }
        }
        int[] brain = new int[count];
        for (int v = 0, b = 0; v < classes.length; v++) {
            if (classes[v] != 0) {
                brain[b++] = v;
            }
        }
        return new TissueVisit(conformed.grid().nx(), conformed.tensor(), classes, brain);
    }
}
