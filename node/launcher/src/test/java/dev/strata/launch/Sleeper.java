package dev.strata.launch;

/** A child main for tests: prints a line, then sleeps until killed. */
public final class Sleeper {
    private Sleeper() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("sleeper up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
