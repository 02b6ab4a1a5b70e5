package dev.ivr.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirLockTest {
    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedUntilTheFirstStops(@TempDir Path dir) throws Exception {
        DataDirLock first = DataDirLock.take(dir);
        assertThatThrownBy(() -> DataDirLock.take(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another ivr server")
                .hasMessageContaining("process " + ProcessHandle.current().pid())
                .hasMessageContaining("node.data-dir");
        first.close();
        DataDirLock again = DataDirLock.take(dir);
        assertThat(dir.resolve(DataDirLock.FILE)).exists();
        again.close();
    }

    @Test
    void anotherDataDirectoryIsNotConcerned(@TempDir Path dir) throws Exception {
        DataDirLock a = DataDirLock.take(dir);
        DataDirLock b = DataDirLock.take(java.nio.file.Files.createDirectories(dir.resolve("other")));
        b.close();
        a.close();
    }
}
