package org.neurostream.processor.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neurostream.processor.pairing.SeriesFixtures.t1;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.processor.pairing.SeriesKind.Kind;
import org.neurostream.schemas.SeriesReceived;

/** One test per default rule, in the order the rules are tried, plus site-supplied rule files. */
class SeriesKindRulesTest {
    private final SeriesKindRules rules = SeriesKindRules.defaults();

    private SeriesKind kind(SeriesReceived.Builder series) {
        return rules.classify(series.build());
    }

    @Test
    void nonMrModalitiesAreIgnored() {
        assertThat(kind(t1("1", "20250101").setModality("CT")).reason()).isEqualTo("modality CT is not MR");
        assertThat(kind(t1("1", "20250101").setModality(null)).reason()).isEqualTo("modality (none) is not MR");
    }

    @Test
    void localizersAreIgnoredByImageTypeOrByName() {
        assertThat(kind(t1("1", "20250101").setImageType("ORIGINAL\\PRIMARY\\LOCALIZER")).reason())
                .startsWith("localizer (image type");
        assertThat(kind(t1("1", "20250101").setSeriesDescription("3-plane loc T1")).reason())
                .startsWith("localizer or scout");
        assertThat(kind(t1("1", "20250101").setSeriesDescription("AAHead_Scout")).kind()).isEqualTo(Kind.IGNORED);
    }

    @Test
    void derivedAndSecondaryImagesAreIgnored() {
        assertThat(kind(t1("1", "20250101").setImageType("DERIVED\\SECONDARY\\MPR")).reason())
                .contains("derived or secondary").contains("not an original acquisition");
    }

    @Test
    void otherBodyPartsAreIgnoredButAMissingBodyPartIsNot() {
        assertThat(kind(t1("1", "20250101").setBodyPartExamined("KNEE")).reason())
                .isEqualTo("body part KNEE is not the brain");
        assertThat(kind(t1("1", "20250101").setBodyPartExamined(null)).kind()).isEqualTo(Kind.T1_3D);
        assertThat(kind(t1("1", "20250101").setBodyPartExamined("HEAD")).kind()).isEqualTo(Kind.T1_3D);
    }

    @Test
    void postContrastSeriesAreIgnored() {
        assertThat(kind(t1("1", "20250101").setSeriesDescription("T1 MPRAGE POST GAD")).reason())
                .startsWith("post-contrast");
        assertThat(kind(t1("1", "20250101").setSeriesDescription("sag T1 3D +C")).kind()).isEqualTo(Kind.IGNORED);
    }

    @Test
    void flairIs3dOr2dByAcquisitionType() {
        assertThat(kind(t1("1", "20250101").setSeriesDescription("3D FLAIR SPACE")).kind()).isEqualTo(Kind.FLAIR_3D);
        assertThat(kind(t1("1", "20250101").setSeriesDescription("AX T2 FLAIR").setMrAcquisitionType("2D")).kind())
                .isEqualTo(Kind.FLAIR_2D);
        assertThat(kind(t1("1", "20250101").setProtocolName("dark_fluid_tra").setSeriesDescription(null)
                .setMrAcquisitionType(null)).kind()).isEqualTo(Kind.FLAIR_2D);
    }

    @Test
    void a3dT1IsRecognisedByTheVendorsSequenceNames() {
        for (String name : new String[] {"T1 MPRAGE", "sag MP-RAGE", "AX 3D SPGR", "Sag BRAVO", "3D T1 TFE",
            "t1_fl3d_sag", "IR-FSPGR"}) {
            assertThat(kind(t1("1", "20250101").setSeriesDescription(name)).kind()).as(name).isEqualTo(Kind.T1_3D);
        }
    }

    @Test
    void a2dT1IsIgnoredWithItsAcquisitionType() {
        assertThat(kind(t1("1", "20250101").setSeriesDescription("AX T1 SE").setMrAcquisitionType("2D")).reason())
                .isEqualTo("T1-weighted but not a 3D acquisition (MR acquisition type '2D')");
    }

    @Test
    void anythingElseIsIgnoredNamingTheSeries() {
        assertThat(kind(t1("1", "20250101").setSeriesDescription("DWI b1000")).reason())
                .isEqualTo("not a sequence NeuroStream analyses (3D T1 or FLAIR): DWI b1000");
    }

    @Test
    void aSiteCanSupplyItsOwnRules(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, """
                {"rules": [
                  {"kind": "T1_3D", "reason": "site protocol {protocolName}", "match": {"protocolName": "^NEURO_VOL$"}},
                  {"kind": "IGNORED", "reason": "not our protocol"}
                ]}""");
        SeriesKindRules site = SeriesKindRules.load(file);
        assertThat(site.classify(t1("1", "20250101").setSeriesDescription("whatever").setProtocolName("NEURO_VOL")
                .build())).isEqualTo(new SeriesKind(Kind.T1_3D, "site protocol NEURO_VOL"));
        assertThat(site.classify(t1("1", "20250101").build()).reason()).isEqualTo("not our protocol");
    }

    @Test
    void aBadRuleFileNamesTheRuleAndTheProblem() {
        assertThatThrownBy(() -> parse("{\"rules\": [{\"kind\": \"T2\", \"reason\": \"x\"}]}"))
                .hasMessageContaining("rule 1").hasMessageContaining("kind 'T2'");
        assertThatThrownBy(() -> parse("{\"rules\": [{\"kind\": \"T1_3D\", \"reason\": \"x\", "
                + "\"match\": {\"seriesColour\": \"red\"}}]}"))
                .hasMessageContaining("unknown attribute 'seriesColour'");
        assertThatThrownBy(() -> parse("{\"rules\": [{\"kind\": \"T1_3D\"}]}"))
                .hasMessageContaining("needs a reason");
    }

    private static SeriesKindRules parse(String json) throws Exception {
        return SeriesKindRules.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
