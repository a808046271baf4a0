package org.neurostream.sink;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;

/**
 * A FHIR R4 REST peer for tests: HAPI's own RestfulServer on an embedded Jetty, storing Observations and
 * DiagnosticReports in memory, with conditional create on {@code identifier=system|value} as a FHIR server does it.
 */
final class FhirPeer implements AutoCloseable {
    final Store<Observation> observations = new Store<>("Observation");
    final Store<DiagnosticReport> reports = new Store<>("DiagnosticReport");
    private final Server server;

    FhirPeer() throws Exception {
        RestfulServer fhir = new RestfulServer(FhirContext.forR4Cached());
        fhir.setResourceProviders(new ObservationProvider(), new ReportProvider());
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(fhir), "/fhir/*");
        server = new Server(0);
        server.setHandler(context);
        server.start();
    }

    String baseUrl() {
        return "http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/fhir";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    static final class Store<T extends DomainResource> {
        private final String type;
        final Map<String, T> byId = new LinkedHashMap<>();
        int creates;

        Store(String type) {
            this.type = type;
        }

        synchronized MethodOutcome create(T resource, String conditionalUrl) {
            creates++;
            if (conditionalUrl != null) {
                String query = conditionalUrl.substring(conditionalUrl.indexOf('?') + 1);
                if (!query.startsWith("identifier=")) {
                    throw new IllegalArgumentException("unsupported condition " + conditionalUrl);
                }
                String[] key = URLDecoder.decode(query.substring("identifier=".length()), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                for (Map.Entry<String, T> e : byId.entrySet()) {
                    for (Identifier i : identifiers(e.getValue())) {
                        if (key[0].equals(i.getSystem()) && key[1].equals(i.getValue())) {
                            return new MethodOutcome(new IdType(type, e.getKey(), "1")).setCreated(false);
                        }
                    }
                }
            }
            String id = String.valueOf(byId.size() + 1);
            resource.setId(new IdType(type, id, "1"));
            byId.put(id, resource);
            return new MethodOutcome(new IdType(type, id, "1")).setCreated(true).setResource(resource);
        }

        synchronized T read(IdType id) {
            T t = byId.get(id.getIdPart());
            if (t == null) {
                throw new ResourceNotFoundException(id);
            }
            return t;
        }

        synchronized List<T> all() {
            return new ArrayList<>(byId.values());
        }

        private static List<Identifier> identifiers(DomainResource r) {
            if (r instanceof Observation o) {
                return o.getIdentifier();
            }
            return ((DiagnosticReport) r).getIdentifier();
        }
    }

    public final class ObservationProvider implements IResourceProvider {
        @Override
        public Class<Observation> getResourceType() {
            return Observation.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam Observation o, @ConditionalUrlParam String conditional) {
            return observations.create(o, conditional);
        }

        @Read
        public Observation read(@IdParam IdType id) {
            return observations.read(id);
        }

        @Search
        public List<Observation> search() {
            return observations.all();
        }
    }

    public final class ReportProvider implements IResourceProvider {
        @Override
        public Class<DiagnosticReport> getResourceType() {
            return DiagnosticReport.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam DiagnosticReport r, @ConditionalUrlParam String conditional) {
            return reports.create(r, conditional);
        }

        @Read
        public DiagnosticReport read(@IdParam IdType id) {
            return reports.read(id);
        }

        @Search
        public List<DiagnosticReport> search() {
            return reports.all();
        }
    }
}
