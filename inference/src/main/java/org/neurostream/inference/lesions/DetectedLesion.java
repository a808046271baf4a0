package org.neurostream.inference.lesions;

/**
 * One new lesion: a connected component of the thresholded probability map.
 *
 * @param label           its value in {@link NewLesionMap#labels()}, 1 = largest
 * @param centroidMm      centre of mass in patient coordinates (LPS, mm)
 * @param meanProbability the segmenter's mean probability over the component
 */
public record DetectedLesion(int label, int voxels, double volumeMl, double[] centroidMm, double meanProbability) {
}
