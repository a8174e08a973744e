package dev.strata.node.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The modification time and size of a set of files, to tell when they changed (a reload polls it).
 * A missing file has its own stamp, so deleting or creating one counts as a change.
 */
record FileStamps(List<String> stamps) {
    static FileStamps of(List<Path> files) {
        List<String> s = new ArrayList<>();
        for (Path p : files) {
            try {
                s.add(p + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
            } catch (IOException e) {
                s.add(p + "@missing");
            }
        }
        return new FileStamps(List.copyOf(s));
    }
}
