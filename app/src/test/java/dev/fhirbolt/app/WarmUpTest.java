package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void onlyTheServeCommandBeginsTheWarmUpEarly() {
        assertTrue(WarmUp.serves(new String[] {"serve", "--port", "0"}));
        assertTrue(WarmUp.serves(new String[] {"serve"}));
        assertFalse(WarmUp.serves(new String[] {"load", "serve"}));
        assertFalse(WarmUp.serves(new String[] {"--help"}));
        assertFalse(WarmUp.serves(new String[] {"admin", "token"}));
        assertFalse(WarmUp.serves(new String[0]));
    }

    @Test
    void theWarmUpRunsOncePerJvm() throws InterruptedException {
        Thread first = WarmUp.begin();
        assertSame(first, WarmUp.begin());
        first.join();
        assertSame(first, WarmUp.begin());
    }
}
