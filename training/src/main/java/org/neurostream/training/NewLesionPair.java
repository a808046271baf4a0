package org.neurostream.training;

import java.util.Arrays;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.inference.lesions.NewLesionInputs;
import org.neurostream.phantom.ColinPhantomGenerator;

/**
 * One phantom FLAIR pair as the new-lesion segmenter sees it: the baseline registered (by the processor's own
 * rigid registration, so its residual errors are in the training data) and resampled onto the follow-up's grid,
 * both normalised by {@link NewLesionInputs}, with the true new-lesion mask and where to draw patches from.
 *
 * @param dims        nx, ny, nz of the follow-up grid
 * @param newVoxels   indices of new-lesion voxels
 * @param oldVoxels   indices of lesions the baseline already had (bright in both visits: the hard negatives)
 * @param headVoxels  indices of head voxels (follow-up above the head level)
 */
public record NewLesionPair(int subject, int[] dims, float[] baseline, float[] followUp, byte[] newLesions,
        int[] newVoxels, int[] oldVoxels, int[] headVoxels) {

    /** Registers and normalises a generated pair. */
    public static NewLesionPair of(ColinPhantomGenerator.Pair pair, RigidRegistration registration) {
        Volume followUp = pair.followUp().flair();
        Volume baselineOnFollowUp = baselineOnFollowUp(pair, registration);
        float[] current = NewLesionInputs.normalised(followUp);
        float[] truth = pair.newLesionMask().data();
        float[] all = pair.followUp().lesions().data();
        byte[] mask = new byte[truth.length];
        int[] newVoxels = new int[truth.length];
        int[] oldVoxels = new int[truth.length];
        int[] head = new int[truth.length];
        int nNew = 0;
        int nOld = 0;
        int nHead = 0;
        for (int n = 0; n < truth.length; n++) {
            if (truth[n] > 0) {
                mask[n] = 1;
                newVoxels[nNew++] = n;
            } else if (all[n] > 0) {
                oldVoxels[nOld++] = n;
            }
            if (current[n] > 0.5) {
                head[nHead++] = n;
            }
        }
        return new NewLesionPair(pair.subject(), new int[] {followUp.nx(), followUp.ny(), followUp.nz()},
                NewLesionInputs.normalised(baselineOnFollowUp), current, mask, Arrays.copyOf(newVoxels, nNew),
                Arrays.copyOf(oldVoxels, nOld), Arrays.copyOf(head, nHead));
    }

    /** The pair's baseline FLAIR registered and resampled onto its follow-up FLAIR's grid. */
    public static Volume baselineOnFollowUp(ColinPhantomGenerator.Pair pair, RigidRegistration registration) {
        Volume followUp = pair.followUp().flair();
        RigidTransform baselineToFollowUp = registration.register(pair.baseline().flair(), followUp).transform();
        return NewLesionInputs.baselineOnFollowUp(pair.baseline().flair(), followUp, baselineToFollowUp);
    }
}
