package dev.fhirbolt.contentstore.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every content store must do. An engine's test class extends this and hands out its store; the store may be
 * shared by all tests of a run (every test writes under keys of its own), so an engine that takes long to start
 * starts once.
 */
public abstract class ContentStoreContract {

    /** The store under test, open and able to serve. */
    protected abstract ContentStore store();

    /**
     * A store that cannot serve now (its engine is unreachable, or has too few replicas): its operations (or its
     * opening, which may throw {@link ContentStoreUnavailableException} itself) must fail within
     * {@link #failureDeadline()} instead of hanging. The contract closes it.
     */
    protected abstract ContentStore unavailableStore();

    /** How long an operation on an unavailable store may take to fail: the configured timeout and some slack. */
    protected abstract Duration failureDeadline();

    /** How long a healthy operation may take (large values on a busy machine included). */
    protected Duration operationDeadline() {
        return Duration.ofSeconds(60);
    }

    private final String run = UUID.randomUUID().toString();

    private byte[] key(String name) {
        return (run + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(operationDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("operation failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError("operation did not complete in " + operationDeadline(), e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void putThenGetReturnsTheValue() {
        byte[] value = "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8);
        await(store().put(key("a"), value));
        assertArrayEquals(value, await(store().get(key("a"))).orElseThrow());
    }

    @Test
    void absentKeyIsEmpty() {
        assertTrue(await(store().get(key("never-written"))).isEmpty());
    }

    @Test
    void emptyValueIsStoredAndDistinctFromAbsent() {
        await(store().put(key("empty"), new byte[0]));
        assertArrayEquals(new byte[0], await(store().get(key("empty"))).orElseThrow());
    }

    @Test
    void deleteRemovesTheValueAndDeletingAbsentIsNoError() {
        await(store().put(key("d"), random(100, 1)));
        await(store().delete(key("d")));
        assertTrue(await(store().get(key("d"))).isEmpty());
        await(store().delete(key("d")));
        await(store().delete(key("never-written")));
    }

    @Test
    void repeatedPutIsHarmless() {
        byte[] value = random(3000, 2);
        await(store().put(key("twice"), value));
        await(store().put(key("twice"), value));
        assertArrayEquals(value, await(store().get(key("twice"))).orElseThrow());
    }

    @Test
    void keysAreBytesNotStrings() {
        byte[] a = {0, (byte) 0xff, 1};
        byte[] b = {0, (byte) 0xff, 2};
        await(store().put(withRun(a), random(10, 3)));
        await(store().put(withRun(b), random(10, 4)));
        assertArrayEquals(random(10, 3), await(store().get(withRun(a))).orElseThrow());
        assertArrayEquals(random(10, 4), await(store().get(withRun(b))).orElseThrow());
    }

    private byte[] withRun(byte[] suffix) {
        byte[] prefix = key("");
        byte[] key = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
        return key;
    }

    @Test
    void keyOf256BytesIsAcceptedAndLongerIsRejected() {
        byte[] longest = new byte[256];
        byte[] prefix = key("");
        System.arraycopy(prefix, 0, longest, 0, prefix.length);
        await(store().put(longest, random(5, 5)));
        assertArrayEquals(random(5, 5), await(store().get(longest)).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> store().put(new byte[257], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> store().get(new byte[257]));
        assertThrows(IllegalArgumentException.class, () -> store().delete(new byte[257]));
    }

    @Test
    void largeValuesComeBackWhole() {
        for (int size : new int[] {512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 3 * 1024 * 1024 + 17}) {
            byte[] value = random(size, size);
            await(store().put(key("large-" + size), value));
            assertArrayEquals(value, await(store().get(key("large-" + size))).orElseThrow(), "size " + size);
        }
    }

    @Test
    void valueOf20MegabytesComesBackWholeAndIsDeletedWhole() {
        byte[] value = random(20 * 1024 * 1024, 20);
        await(store().put(key("20mb"), value));
        assertArrayEquals(value, await(store().get(key("20mb"))).orElseThrow());
        await(store().delete(key("20mb")));
        assertTrue(await(store().get(key("20mb"))).isEmpty());
    }

    @Test
    void concurrentPutsOfManyKeysAllLand() {
        int n = 300;
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            puts.add(store().put(key("c" + i), random(200 + i, i)));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
        List<CompletableFuture<Optional<byte[]>>> gets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gets.add(store().get(key("c" + i)));
        }
        for (int i = 0; i < n; i++) {
            assertArrayEquals(random(200 + i, i), await(gets.get(i)).orElseThrow(), "key c" + i);
        }
    }

    @Test
    void concurrentPutsOfTheSameValueUnderOneKeyLeaveThatValue() {
        byte[] value = random(1_200_000, 6);
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            puts.add(store().put(key("same"), value));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
        assertArrayEquals(value, await(store().get(key("same"))).orElseThrow());
    }

    @Test
    void unavailableStoreFailsWithinTheTimeoutInsteadOfHanging() {
        long deadline = failureDeadline().toMillis();
        long started = System.nanoTime();
        ContentStore unavailable;
        try {
            unavailable = unavailableStore();
        } catch (ContentStoreUnavailableException e) {
            assertWithin(started, deadline, "opening");
            return;
        }
        try (unavailable) {
            assertFailsUnavailable(() -> unavailable.put(key("u"), random(10, 7)), deadline, "put");
            assertFailsUnavailable(() -> unavailable.put(key("u-large"), random(1_500_000, 8)), deadline, "large put");
            assertFailsUnavailable(() -> unavailable.get(key("u")), deadline, "get");
            assertFailsUnavailable(() -> unavailable.delete(key("u")), deadline, "delete");
        }
    }

    private static void assertFailsUnavailable(Supplier<CompletableFuture<?>> operation, long deadlineMillis, String what) {
        long started = System.nanoTime();
        CompletableFuture<?> future = operation.get();
        try {
            future.get(deadlineMillis + 5_000, TimeUnit.MILLISECONDS);
            throw new AssertionError(what + " succeeded on an unavailable store");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            assertInstanceOf(ContentStoreUnavailableException.class, cause, what + " failed otherwise: " + cause);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " hung on an unavailable store", e);
        }
        assertWithin(started, deadlineMillis, what);
    }

    private static void assertWithin(long startedNanos, long deadlineMillis, String what) {
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        assertTrue(took <= deadlineMillis, what + " took " + took + " ms to fail, more than " + deadlineMillis + " ms");
    }

    /** Bad arguments are the caller's error, thrown at once rather than through the future. */
    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> store().put(null, new byte[1]));
        assertThrows(NullPointerException.class, () -> store().put(key("n"), null));
        assertThrows(NullPointerException.class, () -> store().get(null));
        assertThrows(NullPointerException.class, () -> store().delete(null));
        assertThrows(IllegalArgumentException.class, () -> store().put(new byte[0], new byte[1]));
        assertEquals(Optional.empty(), await(store().get(key("n"))));
    }
}
