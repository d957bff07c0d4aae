package io.mlopscore.artifacts;

/**
 * What a completed write stored.
 *
 * @param size bytes written
 * @param sha256 lowercase hex SHA-256 of those bytes, computed while they streamed through
 */
public record WriteResult(long size, String sha256) {}
