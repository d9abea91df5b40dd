package dev.relay.usage;

import dev.relay.testsupport.TestRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For outage tests on the shared test Redis: a fresh {@link UsageRig} per test, with a spool folder of its own. */
abstract class UsageRigTestBase {
    @TempDir
    Path spool;
    UsageRig rig;

    @BeforeEach
    void setUpRig() {
        rig = new UsageRig(new TestRedis().flush(), spool);
    }

    @AfterEach
    void closeRig() {
        rig.close();
    }
}
