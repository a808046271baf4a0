package org.neurostream.sink;

import static org.neurostream.sink.SourceImages.put;
import static org.neurostream.sink.SourceImages.putEmpty;
import static org.neurostream.sink.SourceImages.string;
import static org.neurostream.sink.SourceImages.tag;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.imaging.Uids;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.StudyRef;

/**
 * A BINARY DICOM Segmentation of a result's label maps (new lesions, tissue) on the follow-up's own frame of
 * reference: one segment per label value present, one frame per source slice that holds it, each frame naming
 * its source instance (Derivation Image) and the SEG naming the source series (Common Instance Reference).
 * Built by hand (PixelMed has no SEG writer); deterministic like the SR.
 */
public final class SegBuilder {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
    public static final int SERIES_NUMBER = 9902;
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    /**
     * One segment.
     *
     * @param source     {@code lesions} or {@code tissue}: which label map it comes from
     * @param labelValue its value in that map
     */
    public record Segment(int number, String label, String source, int labelValue, Code category, Code type) {
    }

    public record Built(DicomObject seg, List<Segment> segments) {
    }

    private final BlobStore blobs;
    private final SourceImages sources;
    private final ZoneId zone;

    public SegBuilder(BlobStore blobs, ZoneId zone) {
        this.blobs = blobs;
        this.sources = new SourceImages(blobs);
        this.zone = zone;
    }

    /** Empty when the result has no label map, or its maps hold no labelled voxel. */
    public Optional<Built> build(AnalysisResult r) throws IOException, DicomException {
        Map<String, LabelMap> maps = new LinkedHashMap<>();
        if (r.getNewLesions() != null && r.getNewLesions().getMask() != null) {
            maps.put("lesions", r.getNewLesions().getMask());
        }
        if (r.getTissue() != null && r.getTissue().getLabels() != null) {
            maps.put("tissue", r.getTissue().getLabels());
        }
        if (maps.isEmpty()) {
            return Optional.empty();
        }
        StudyRef current = r.getCurrent();
        List<Segment> segments = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        List<FrameRef> frameRefs = new ArrayList<>();
        Map<String, AttributeList> headers = new TreeMap<>();
        Integer rows = null;
        Integer columns = null;
        for (Map.Entry<String, LabelMap> e : maps.entrySet()) {
            LabelMap map = e.getValue();
            byte[] voxels = blobs.read(map.getBlobRef());
            int perFrame = map.getColumns() * map.getRows();
            int nFrames = map.getFrameSopInstanceUids().size();
            if (voxels.length != (long) perFrame * nFrames) {
                throw new IllegalArgumentException("label map " + map.getBlobRef() + " holds " + voxels.length
                        + " bytes, not " + map.getColumns() + "x" + map.getRows() + "x" + nFrames);
            }
            if (rows != null && (rows != map.getRows() || columns != map.getColumns())) {
                throw new IllegalArgumentException("label maps of result " + r.getResultId() + " differ in size");
            }
            rows = map.getRows();
            columns = map.getColumns();
            for (Map.Entry<Integer, String> label : sortedLabels(map).entrySet()) {
                int value = label.getKey();
                List<Integer> slices = new ArrayList<>();
                for (int k = 0; k < nFrames; k++) {
                    if (contains(voxels, k * perFrame, perFrame, value)) {
                        slices.add(k);
                    }
                }
                if (slices.isEmpty()) {
                    continue;
                }
                Segment s = segment(segments.size() + 1, e.getKey(), value, label.getValue());
                segments.add(s);
                for (int k : slices) {
                    byte[] frame = new byte[perFrame];
                    for (int p = 0; p < perFrame; p++) {
                        frame[p] = (byte) ((voxels[k * perFrame + p] & 0xff) == value ? 1 : 0);
                    }
                    frames.add(frame);
                    String sop = map.getFrameSopInstanceUids().get(k);
                    InstanceRef source = SourceImages.find(current, sop);
                    if (!headers.containsKey(sop)) {
                        headers.put(sop, sources.header(source));
                    }
                    frameRefs.add(new FrameRef(s.number(), k, source));
                }
            }
        }
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        AttributeList first = headers.get(frameRefs.get(0).source().getSopInstanceUid());
        String sopInstanceUid = DeterministicUids.segSopInstanceUid(r.getResultId());
        String seriesInstanceUid = DeterministicUids.segSeriesInstanceUid(r.getResultId());

        AttributeList list = new AttributeList();
        SourceImages.copyPatientAndStudy(first, list);
        put(list, "StudyInstanceUID", current.getStudyInstanceUid());
        put(list, "SOPClassUID", SOP_CLASS);
        put(list, "SOPInstanceUID", sopInstanceUid);
        put(list, "Modality", "SEG");
        put(list, "SeriesInstanceUID", seriesInstanceUid);
        put(list, "SeriesNumber", String.valueOf(SERIES_NUMBER));
        put(list, "SeriesDescription", "NeuroStream AI segmentation");
        put(list, "FrameOfReferenceUID", string(first, "FrameOfReferenceUID"));
        putEmpty(list, "PositionReferenceIndicator");
        put(list, "Manufacturer", "NeuroStream");
        put(list, "ManufacturerModelName", "NeuroStream sink");
        put(list, "DeviceSerialNumber", "1");
        put(list, "SoftwareVersions", version());
        ZonedDateTime created = Instant.ofEpochMilli(r.getCreatedAtMillis()).atZone(zone);
        put(list, "InstanceNumber", "1");
        put(list, "ContentDate", DA.format(created));
        put(list, "ContentTime", TM.format(created));
        put(list, "InstanceCreationDate", DA.format(created));
        put(list, "InstanceCreationTime", TM.format(created));
        put(list, "ContentLabel", "NEUROSTREAM");
        put(list, "ContentDescription", "AI labels, not for clinical use");
        putEmpty(list, "ContentCreatorName");
        put(list, "ImageType", "DERIVED", "PRIMARY");
        put(list, "SamplesPerPixel", "1");
        put(list, "PhotometricInterpretation", "MONOCHROME2");
        put(list, "Rows", String.valueOf(rows));
        put(list, "Columns", String.valueOf(columns));
        put(list, "BitsAllocated", "1");
        put(list, "BitsStored", "1");
        put(list, "HighBit", "0");
        put(list, "PixelRepresentation", "0");
        put(list, "LossyImageCompression", "00");
        put(list, "SegmentationType", "BINARY");
        put(list, "NumberOfFrames", String.valueOf(frames.size()));

        SequenceAttribute segmentSeq = new SequenceAttribute(tag("SegmentSequence"));
        for (Segment s : segments) {
            AttributeList item = new AttributeList();
            put(item, "SegmentNumber", String.valueOf(s.number()));
            put(item, "SegmentLabel", s.label());
            put(item, "SegmentAlgorithmType", "AUTOMATIC");
            put(item, "SegmentAlgorithmName", algorithmName(r));
            item.put(codeSequence("SegmentedPropertyCategoryCodeSequence", s.category()));
            item.put(codeSequence("SegmentedPropertyTypeCodeSequence", s.type()));
            segmentSeq.addItem(item);
        }
        list.put(segmentSeq);

        // Dimensions: segment number, then position along the stack.
        String dimensionUid = Uids.fromName("neurostream/seg/dimensions/" + r.getResultId());
        SequenceAttribute organisation = new SequenceAttribute(tag("DimensionOrganizationSequence"));
        AttributeList orgItem = new AttributeList();
        put(orgItem, "DimensionOrganizationUID", dimensionUid);
        organisation.addItem(orgItem);
        list.put(organisation);
        put(list, "DimensionOrganizationType", "3D");
        SequenceAttribute index = new SequenceAttribute(tag("DimensionIndexSequence"));
        index.addItem(dimension(dimensionUid, "ReferencedSegmentNumber", "SegmentIdentificationSequence",
                "Segment number"));
        index.addItem(dimension(dimensionUid, "ImagePositionPatient", "PlanePositionSequence",
                "Image position of frame"));
        list.put(index);

        SequenceAttribute shared = new SequenceAttribute(tag("SharedFunctionalGroupsSequence"));
        AttributeList sharedItem = new AttributeList();
        AttributeList measures = new AttributeList();
        copy(first, measures, "PixelSpacing", "SliceThickness", "SpacingBetweenSlices");
        sharedItem.put(single("PixelMeasuresSequence", measures));
        AttributeList orientation = new AttributeList();
        copy(first, orientation, "ImageOrientationPatient");
        sharedItem.put(single("PlaneOrientationSequence", orientation));
        shared.addItem(sharedItem);
        list.put(shared);

        SequenceAttribute perFrame = new SequenceAttribute(tag("PerFrameFunctionalGroupsSequence"));
        for (FrameRef f : frameRefs) {
            AttributeList item = new AttributeList();
            AttributeList content = new AttributeList();
            Attribute dims = com.pixelmed.dicom.AttributeFactory.newAttribute(tag("DimensionIndexValues"));
            dims.addValue(f.segment());
            dims.addValue(f.slice() + 1);
            content.put(dims);
            item.put(single("FrameContentSequence", content));
            AttributeList position = new AttributeList();
            copy(headers.get(f.source().getSopInstanceUid()), position, "ImagePositionPatient");
            item.put(single("PlanePositionSequence", position));
            AttributeList segmentId = new AttributeList();
            put(segmentId, "ReferencedSegmentNumber", String.valueOf(f.segment()));
            item.put(single("SegmentIdentificationSequence", segmentId));
            AttributeList sourceImage = new AttributeList();
            put(sourceImage, "ReferencedSOPClassUID", f.source().getSopClassUid());
            put(sourceImage, "ReferencedSOPInstanceUID", f.source().getSopInstanceUid());
            sourceImage.put(codeSequence("PurposeOfReferenceCodeSequence",
                    Code.dcm("121322", "Source image for image processing operation")));
            AttributeList derivation = new AttributeList();
            derivation.put(single("SourceImageSequence", sourceImage));
            derivation.put(codeSequence("DerivationCodeSequence", Code.dcm("113076", "Segmentation")));
            item.put(single("DerivationImageSequence", derivation));
            perFrame.addItem(item);
        }
        list.put(perFrame);

        // Common Instance Reference: the source series and every instance a frame derives from.
        SequenceAttribute instances = new SequenceAttribute(tag("ReferencedInstanceSequence"));
        for (String sop : headers.keySet()) {
            InstanceRef i = SourceImages.find(current, sop);
            AttributeList item = new AttributeList();
            put(item, "ReferencedSOPClassUID", i.getSopClassUid());
            put(item, "ReferencedSOPInstanceUID", i.getSopInstanceUid());
            instances.addItem(item);
        }
        AttributeList seriesItem = new AttributeList();
        put(seriesItem, "SeriesInstanceUID", current.getSeriesInstanceUid());
        seriesItem.put(instances);
        SequenceAttribute series = new SequenceAttribute(tag("ReferencedSeriesSequence"));
        series.addItem(seriesItem);
        list.put(series);

        list.put(SourceImages.privateCodingScheme());
        OtherByteAttribute pixels = new OtherByteAttribute(tag("PixelData"));
        pixels.setValues(pack(frames, rows * columns));
        list.put(pixels);

        DicomObject seg = new DicomObject("seg", current.getStudyInstanceUid(), seriesInstanceUid, sopInstanceUid,
                SOP_CLASS, SourceImages.part10(list));
        return Optional.of(new Built(seg, segments));
    }

    private record FrameRef(int segment, int slice, InstanceRef source) {
    }

    /** Frames one after the other, one bit per pixel, first pixel in the lowest bit; padded to an even length. */
    static byte[] pack(List<byte[]> frames, int perFrame) {
        long bits = (long) frames.size() * perFrame;
        int bytes = (int) ((bits + 7) / 8);
        byte[] out = new byte[bytes + (bytes % 2)];
        long bit = 0;
        for (byte[] frame : frames) {
            for (int p = 0; p < perFrame; p++, bit++) {
                if (frame[p] != 0) {
                    out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                }
            }
        }
        return out;
    }

    private static Map<Integer, String> sortedLabels(LabelMap map) {
        Map<Integer, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : map.getLabels().entrySet()) {
            int value = Integer.parseInt(e.getKey().trim());
            if (value < 1 || value > 255) {
                throw new IllegalArgumentException("label value " + e.getKey() + " is outside 1-255");
            }
            sorted.put(value, e.getValue());
        }
        return sorted;
    }

    private static boolean contains(byte[] voxels, int from, int length, int value) {
        for (int i = from; i < from + length; i++) {
            if ((voxels[i] & 0xff) == value) {
                return true;
            }
        }
        return false;
    }

    private static Segment segment(int number, String source, int value, String meaning) {
        String m = meaning.toLowerCase(Locale.ROOT);
        if (source.equals("lesions")) {
            return new Segment(number, truncate(meaning), source, value,
                    Code.sct("49755003", "Morphologically Altered Structure"), Code.sct("52988006", "Lesion"));
        }
        Code tissue = Code.sct("85756007", "Tissue");
        Code type;
        if (m.contains("csf") || m.contains("cerebrospinal")) {
            type = Code.own("NS-CSF", "Cerebrospinal fluid");
        } else if (m.contains("grey") || m.contains("gray")) {
            type = Code.own("NS-GM", "Grey matter");
        } else if (m.contains("white")) {
            type = Code.own("NS-WM", "White matter");
        } else {
            type = Code.own("NS-LABEL" + value, truncate(meaning));
        }
        return new Segment(number, truncate(meaning), source, value, tissue, type);
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64);
    }

    private static String algorithmName(AnalysisResult r) {
        String names = String.join(", ", r.getModels().stream().map(m -> m.getName() + " " + m.getVersion())
                .toList());
        return truncate(names.isEmpty() ? "NeuroStream" : names);
    }

    private static String version() {
        String v = SegBuilder.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static AttributeList dimension(String uid, String pointer, String group, String label)
            throws DicomException {
        AttributeList item = new AttributeList();
        put(item, "DimensionOrganizationUID", uid);
        AttributeTagAttribute p = new AttributeTagAttribute(tag("DimensionIndexPointer"));
        p.addValue(tag(pointer));
        item.put(p);
        AttributeTagAttribute g = new AttributeTagAttribute(tag("FunctionalGroupPointer"));
        g.addValue(tag(group));
        item.put(g);
        put(item, "DimensionDescriptionLabel", label);
        return item;
    }

    private static void copy(AttributeList from, AttributeList to, String... names) {
        for (String n : names) {
            Attribute a = from.get(tag(n));
            if (a != null) {
                to.put(a);
            }
        }
    }

    static SequenceAttribute single(String name, AttributeList item) {
        SequenceAttribute s = new SequenceAttribute(tag(name));
        s.addItem(item);
        return s;
    }

    static SequenceAttribute codeSequence(String name, Code c) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, "CodeValue", c.value());
        put(item, "CodingSchemeDesignator", c.scheme());
        put(item, "CodeMeaning", c.meaning());
        return single(name, item);
    }
}
