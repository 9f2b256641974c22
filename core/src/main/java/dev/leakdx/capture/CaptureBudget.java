package dev.leakdx.capture;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One capture's work within its time budget ({@link Limits#CAPTURE_SECONDS}): run on a thread of its
 * own, interrupted past the budget (its file reads and rule run stop), and the caller's row for a
 * capture that failed made from the reason in words. Used wherever many captures are diagnosed in
 * one process (the CLI's batch, the fleet job's executors), so that one capture never stops the rest.
 */
public final class CaptureBudget {
    private CaptureBudget() {}

    public static <T> T run(String threadName, Callable<T> work, Function<String, T> failed) {
        long seconds = Limits.CAPTURE_SECONDS.get();
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            return failed.apply("took longer than " + seconds + " s (limit leakdx.limit.capture-seconds): stopped");
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            return failed.apply("interrupted");
        } catch (ExecutionException e) {
            return failed.apply(Failure.describe(e));
        }
    }
}
