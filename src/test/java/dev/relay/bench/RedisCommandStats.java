package dev.relay.bench;

import io.vertx.redis.client.RedisAPI;
import java.util.List;

/**
 * Redis work counters from {@code INFO}: commands executed ({@code commandstats}, our own INFO calls left out;
 * pipelined commands and commands run inside Lua scripts each count) and read events from clients
 * ({@code total_reads_processed}, about one per round trip since a pipeline arrives in one read).
 */
record RedisCommandStats(long commands, long reads) {

    static RedisCommandStats read(RedisAPI redis) throws Exception {
        String commandstats = LegacySeed.await(redis.info(List.of("commandstats"))).toString();
        String stats = LegacySeed.await(redis.info(List.of("stats"))).toString();
        return new RedisCommandStats(commandCalls(commandstats), field(stats, "total_reads_processed"));
    }

    RedisCommandStats minus(RedisCommandStats before) {
        return new RedisCommandStats(commands - before.commands, reads - before.reads);
    }

    /** Sums {@code calls=} over every {@code cmdstat_*} line except {@code cmdstat_info}. */
    static long commandCalls(String info) {
        long sum = 0;
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
                continue;
            }
            int at = line.indexOf("calls=");
            if (at < 0) {
                continue;
            }
            int end = line.indexOf(',', at);
            sum += Long.parseLong(line.substring(at + 6, end < 0 ? line.length() : end));
        }
        return sum;
    }

    /** A numeric {@code name:value} line of INFO; -1 when the server does not report it. */
    static long field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }
}
