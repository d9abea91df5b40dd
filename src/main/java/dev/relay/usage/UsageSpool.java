package dev.relay.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The usage batches Redis has not confirmed yet, on disk: one file per batch,
 * {@code usage-{instanceId}-{seq}-{events}.json} ({@link UsageWritesCodec}), written to a temp file, forced to disk
 * and moved in place. Each running process holds an OS lock on {@code {instanceId}.lock}; at start a process
 * claims the batches of processes whose lock is free (ended or crashed) and replays them, holding their lock until
 * the last one is done, so two processes sharing the folder never replay the same batch. Batches Redis refused for
 * good are kept in {@code rejected/} for an operator.
 *
 * <p>Every method does blocking file I/O: call it from a worker thread, never an event loop.
 */
final class UsageSpool {
    private static final Logger LOG = Logger.getLogger(UsageSpool.class);
    private static final Pattern BATCH = Pattern.compile("usage-([0-9a-f]+)-(\\d+)-(\\d+)\\.json");
    private static final Pattern TEMP = Pattern.compile("usage-([0-9a-f]+)-.*\\.tmp");
    private static final Pattern LOCK = Pattern.compile("([0-9a-f]+)\\.lock");

    /** One spooled batch: whose marker it carries, its sequence number and how many requests it holds. */
    record Entry(String instanceId, long seq, int events) {
        String fileName() {
            return "usage-" + instanceId + "-" + seq + "-" + events + ".json";
        }
    }

    /** The lock of a process whose batches this one writes or replays, and how many of them are still open. */
    private static final class Claim {
        final FileChannel channel;
        final FileLock lock;
        int open;

        Claim(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    private final Path dir;
    private final String instanceId;
    private final Map<String, Claim> claims = new HashMap<>();

    UsageSpool(Path dir, String instanceId) {
        this.dir = dir;
        this.instanceId = instanceId;
    }

    Path dir() {
        return dir;
    }

    /** Creates the folder and takes this process's lock. */
    synchronized void open() throws IOException {
        Files.createDirectories(dir);
        Claim own = tryLock(instanceId);
        if (own == null) {
            throw new IOException("lock " + lockFile(instanceId) + " is held by another process");
        }
        claims.put(instanceId, own);
    }

    /**
     * Claims the batches of every process that no longer holds its lock: oldest process first (by its oldest
     * file), each process's batches in sequence order, as its commit marker requires.
     */
    synchronized List<Entry> claimOrphans() throws IOException {
        Map<String, FileTime> owners = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String owner = owner(file.getFileName().toString());
                if (owner != null && !owner.equals(instanceId)) {
                    owners.merge(owner, Files.getLastModifiedTime(file), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
        }
        List<String> oldestFirst = new ArrayList<>(owners.keySet());
        oldestFirst.sort(Comparator.comparing((String o) -> owners.get(o)).thenComparing(o -> o));
        List<Entry> claimed = new ArrayList<>();
        for (String owner : oldestFirst) {
            Claim claim = tryLock(owner);
            if (claim == null) {
                continue; // that process is alive and writes its own batches
            }
            // listed only now, under the lock: another process may have replayed them meanwhile
            List<Entry> entries = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "usage-" + owner + "-*")) {
                for (Path file : files) {
                    Matcher m = BATCH.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        entries.add(new Entry(owner, Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))));
                    } else if (TEMP.matcher(file.getFileName().toString()).matches()) {
                        Files.deleteIfExists(file); // a write torn by the crash, never acknowledged as spooled
                    }
                }
            }
            entries.sort(Comparator.comparingLong(Entry::seq));
            if (entries.isEmpty()) {
                release(owner, claim);
            } else {
                claim.open = entries.size();
                claims.put(owner, claim);
                claimed.addAll(entries);
            }
        }
        return claimed;
    }

    /** The process a spool file belongs to, or null for other files. */
    private static String owner(String name) {
        for (Pattern p : List.of(BATCH, TEMP, LOCK)) {
            Matcher m = p.matcher(name);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }

    void write(Entry entry, UsageWrites writes) throws IOException {
        Path temp = dir.resolve(entry.fileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(UsageWritesCodec.encode(entry.instanceId(),
                    entry.seq(), writes));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, dir.resolve(entry.fileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    UsageWrites read(Entry entry) throws IOException {
        UsageWritesCodec.Stored stored = UsageWritesCodec.decode(Files.readAllBytes(dir.resolve(entry.fileName())));
        if (!stored.instanceId().equals(entry.instanceId()) || stored.seq() != entry.seq()) {
            throw new IOException(entry.fileName() + " holds batch " + stored.instanceId() + "/" + stored.seq());
        }
        return stored.writes();
    }

    /** The batch was applied: its file goes. */
    void remove(Entry entry) throws IOException {
        Files.deleteIfExists(dir.resolve(entry.fileName()));
        done(entry);
    }

    /** Redis refused the batch for good: a copy goes to {@code rejected/} for an operator, the batch file goes. */
    Path reject(Entry entry, UsageWrites writes) throws IOException {
        Path rejected = Files.createDirectories(dir.resolve("rejected")).resolve(entry.fileName());
        Files.write(rejected, UsageWritesCodec.encode(entry.instanceId(), entry.seq(), writes));
        remove(entry);
        return rejected;
    }

    /** The batch file cannot be read back (torn or foreign): moved to {@code rejected/} as it is. */
    Path quarantine(Entry entry) throws IOException {
        Path rejected = Files.createDirectories(dir.resolve("rejected")).resolve(entry.fileName());
        try {
            Files.move(dir.resolve(entry.fileName()), rejected, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException gone) {
            // nothing left to keep
        }
        done(entry);
        return rejected;
    }

    /** Releases this process's lock and those of processes it was replaying (their rest is replayed next time). */
    synchronized void close() {
        for (Map.Entry<String, Claim> claim : new ArrayList<>(claims.entrySet())) {
            release(claim.getKey(), claim.getValue());
        }
        claims.clear();
    }

    private synchronized void done(Entry entry) {
        Claim claim = claims.get(entry.instanceId());
        if (claim != null && !entry.instanceId().equals(instanceId) && --claim.open == 0) {
            claims.remove(entry.instanceId());
            release(entry.instanceId(), claim);
        }
    }

    private Claim tryLock(String owner) throws IOException {
        FileChannel channel = FileChannel.open(lockFile(owner), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new Claim(channel, lock);
            }
        } catch (OverlappingFileLockException heldInThisJvm) {
            // another spool of this JVM holds it: alive
        }
        channel.close();
        return null;
    }

    /** Deletes the lock file first (while still holding it), so that nobody locks a file that is going away. */
    private void release(String owner, Claim claim) {
        try {
            boolean filesLeft = false;
            try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "usage-" + owner + "-*.json")) {
                filesLeft = left.iterator().hasNext();
            }
            if (!filesLeft) {
                Files.deleteIfExists(lockFile(owner));
            }
            claim.lock.release();
            claim.channel.close();
        } catch (IOException e) {
            LOG.warnf("usage spool lock %s not released cleanly: %s", lockFile(owner), e.toString());
        }
    }

    private Path lockFile(String owner) {
        return dir.resolve(owner + ".lock");
    }
}
