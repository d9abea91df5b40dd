package dev.relay.gateway;

/** What a client request asks of the upstream. Only a generation is billed. */
public enum Operation {
    GENERATE,
    COUNT_TOKENS
}
