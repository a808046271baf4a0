package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;

/**
 * The FHIR R4 form of a result: valid against the R4 base profiles (HAPI's validator, offline), stored by a FHIR
 * REST peer, and a second delivery of the same result leaves exactly one DiagnosticReport.
 */
class FhirDeliveryTest {
    @TempDir
    static Path tmp;
    static ResultPackage pkg;
    static FhirPeer peer;
    static FhirValidator validator;

    @BeforeAll
    static void start() throws Exception {
        FileBlobStore blobs = new FileBlobStore(tmp.resolve("blobs"));
        pkg = new ResultPackager(blobs).build(TestStudies.withLesionsAndTissue(blobs, "fhir-1",
                TestStudies.writeFlair(blobs, "fhir-current", "20260112"),
                TestStudies.writeFlair(blobs, "fhir-prior", "20250110")));
        peer = new FhirPeer();
        FhirContext ctx = FhirContext.forR4Cached();
        UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknown.setNonExistentCodeSystemSeverity(
                ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                unknown);
        validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void resourcesPassTheR4Validator() {
        FhirResources resources = new FhirResources(0.5);
        List<Observation> observations = resources.observations(pkg);
        assertThat(observations).hasSize(pkg.measurements().size());
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) {
            assertValid(observations.get(i));
            refs.add("Observation/" + (i + 1));
        }
        DiagnosticReport report = resources.report(pkg, refs);
        assertThat(report.getPresentedFormFirstRep().getContentType()).isEqualTo("image/png");
        assertValid(report);

        // the validator does bite: an Observation without its required status is an error
        Observation broken = observations.get(0).copy();
        broken.setStatus(null);
        assertThat(validator.validateWithResult(broken).getMessages())
                .anySatisfy(m -> assertThat(m.getSeverity()).isEqualTo(ResultSeverityEnum.ERROR));
    }

    @Test
    void deliveredTwiceLeavesOneReportAndOneObservationPerMeasurement() throws Exception {
        FhirTarget fhir = new FhirTarget(peer.baseUrl(), null, Duration.ofSeconds(10), 0.5);
        DeliveryTarget.Delivered first = fhir.deliver(pkg);
        assertThat(first.alreadyPresent()).isFalse();
        DeliveryTarget.Delivered second = fhir.deliver(pkg);
        assertThat(second.alreadyPresent()).isTrue();
        assertThat(second.objectIds()).isEqualTo(first.objectIds());

        assertThat(peer.reports.all()).hasSize(1);
        assertThat(peer.observations.all()).hasSize(pkg.measurements().size());
        DiagnosticReport stored = peer.reports.all().get(0);
        assertThat(stored.getResult()).hasSize(pkg.measurements().size());
        assertThat(stored.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + pkg.sr().sopInstanceUid());
        Observation pbvc = peer.observations.all().stream()
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("NS-PBVC")).findFirst().orElseThrow();
        assertThat(pbvc.getValueQuantity().getValue().doubleValue()).isEqualTo(-1.29);
        assertThat(pbvc.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(pbvc.getValueQuantity().getCode()).isEqualTo("%");
        assertThat(pbvc.getDerivedFromFirstRep().getIdentifier().getValue())
                .isEqualTo("urn:oid:" + pkg.result().getCurrent().getStudyInstanceUid());
        assertThat(pbvc.getPartOfFirstRep().getType()).isEqualTo("ImagingStudy");
        assertThat(pbvc.getDevice().getReference()).isEqualTo("#algorithm");
    }

    @Test
    void aServerThatIsDownFailsWithItsUrl() {
        int closed = org.neurostream.pacs.LocalOrthanc.freePort();
        FhirTarget fhir = new FhirTarget("http://localhost:" + closed + "/fhir", null, Duration.ofSeconds(2), 0.5);
        assertThatThrownBy(() -> fhir.deliver(pkg)).hasMessageContaining("localhost:" + closed);
    }

    private static void assertValid(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        List<String> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(SingleValidationMessage::toString).toList();
        assertThat(errors).as(resource.fhirType()).isEmpty();
        result.getMessages().forEach(m -> System.out.println("validator " + resource.fhirType() + ": "
                + m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage()));
    }
}
