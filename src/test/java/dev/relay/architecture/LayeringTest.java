package dev.relay.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Imports run only down the layers (docs/architecture.md): the admin API beside the client APIs over upstream adapters over the shared
 * pipeline, then scheduling, authentication, accounts and usage, refusals, the Redis key families and config.
 * Packages on one layer (accounts and usage; health and local) do not use each other, and a new package fails
 * the test until it is given its place here.
 */
@Tag("fast")
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.relay");

    @Test
    void importsOnlyRunDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().ensureAllClassesAreContainedInArchitecture()
                .layer("Admin").definedBy("dev.relay.admin..")
                .layer("ClientApis").definedBy("dev.relay.gateway.api..")
                .layer("Upstreams").definedBy("dev.relay.gateway.upstream..")
                .layer("Pipeline").definedBy("dev.relay.gateway")
                .layer("Health").definedBy("dev.relay.health..")
                .layer("LocalTrial").definedBy("dev.relay.local..")
                .layer("Scheduler").definedBy("dev.relay.scheduler..")
                .layer("Auth").definedBy("dev.relay.auth..")
                .layer("Accounts").definedBy("dev.relay.account..")
                .layer("Usage").definedBy("dev.relay.usage..")
                .layer("Failure").definedBy("dev.relay.failure..")
                .layer("Store").definedBy("dev.relay.store..")
                .layer("Config").definedBy("dev.relay.config..")
                .whereLayer("Admin").mayNotBeAccessedByAnyLayer()
                .whereLayer("ClientApis").mayNotBeAccessedByAnyLayer()
                .whereLayer("Health").mayNotBeAccessedByAnyLayer()
                .whereLayer("LocalTrial").mayNotBeAccessedByAnyLayer()
                .whereLayer("Upstreams").mayOnlyBeAccessedByLayers("ClientApis")
                .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("ClientApis", "Upstreams")
                .whereLayer("Scheduler").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial")
                .whereLayer("Auth").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial", "Scheduler")
                .whereLayer("Accounts").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial", "Scheduler", "Auth")
                .whereLayer("Usage").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial", "Scheduler", "Auth")
                .whereLayer("Failure").mayOnlyBeAccessedByLayers("ClientApis", "Upstreams", "Pipeline", "Scheduler",
                        "Auth", "Accounts", "Usage")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial", "Scheduler", "Auth", "Accounts", "Usage", "Failure")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Admin", "ClientApis", "Upstreams", "Pipeline", "Health",
                        "LocalTrial", "Scheduler", "Auth", "Accounts", "Usage", "Failure", "Store")
                .check(MAIN);
    }
}
