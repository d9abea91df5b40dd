package dev.relay.gateway;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Down from the moment shutdown begins ({@link ShutdownDrain}), so a load balancer sends no more requests here. */
@Readiness
@ApplicationScoped
public class ServingReadiness implements AsyncHealthCheck {
    private final InFlightRequests requests;

    public ServingReadiness(InFlightRequests requests) {
        this.requests = requests;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        boolean draining = requests.draining();
        return Uni.createFrom().item(HealthCheckResponse.named("serving").status(!draining)
                .withData("state", draining ? "shutting down" : "serving").build());
    }
}
