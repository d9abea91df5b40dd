package dev.relay.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import dev.relay.store.RedisStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {
    private final RedisStore redis;

    public RedisReadiness(RedisStore redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> redis.api().ping(List.of()).toCompletionStage())
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .map(reply -> HealthCheckResponse.named("redis").up().build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("redis").down()
                        .withData("error", String.valueOf(e.getMessage()))
                        .withData("unreachableForMs", redis.availability().downForMillis()).build());
    }
}
