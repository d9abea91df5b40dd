package dev.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code claude -p <prompt>} of a real Claude Code CLI against a base URL, as a user with nothing configured
 * runs it: an empty HOME and an empty working folder of its own, only {@code ANTHROPIC_BASE_URL},
 * {@code ANTHROPIC_API_KEY} and {@code DISABLE_AUTOUPDATER=1} set (print mode needs no login or key approval).
 */
final class ClaudeCodeRun {
    private final Path work;
    private final String baseUrl;
    private final Duration timeout;
    private int runs;

    ClaudeCodeRun(Path work, String baseUrl, Duration timeout) {
        this.work = work;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    record Outcome(int exitCode, String stdout, String stderr, double seconds) {
        /** The end of what the CLI printed, on one line, for a FAIL line. */
        String tail() {
            String all = (stdout + " " + stderr).replaceAll("\\s+", " ").strip();
            return all.length() <= 300 ? all : "…" + all.substring(all.length() - 300);
        }
    }

    Outcome run(Path executable, String apiKey, String prompt) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("run-" + (++runs)));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(List.of(executable.toString(), "-p", prompt))
                .directory(folder.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        var env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("TERM", "dumb");
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_API_KEY", apiKey);
        env.put("DISABLE_AUTOUPDATER", "1");
        long start = System.nanoTime();
        Process process = builder.start();
        int exit;
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            exit = process.exitValue();
        } else {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            exit = -1;
        }
        double seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
        return new Outcome(exit, Files.readString(out), Files.readString(err)
                + (exit == -1 ? " (killed after " + timeout.toSeconds() + " s)" : ""), seconds);
    }
}
