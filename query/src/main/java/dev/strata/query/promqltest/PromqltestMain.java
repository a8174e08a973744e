package dev.strata.query.promqltest;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Command line of the conformance runner: {@code PromqltestMain DIR [-v]}; exit status 1 when any eval failed. */
public final class PromqltestMain {
    private PromqltestMain() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: promqltest DIR [-v]");
            System.exit(2);
        }
        boolean v = args.length > 1 && args[1].equals("-v");
        Supplier<TestStorage> storage = "memory".equals(System.getProperty("promqltest.storage"))
                ? InMemoryTestStorage::new : LocalShardsTestStorage::new;
        Summary s = new PromqlTestRunner(storage, v, System.out).runDir(Path.of(args[0]));
        System.exit(s.failed() > 0 ? 1 : 0);
    }
}
