package dev.relay.account;

/**
 * One stored account read leniently, whatever its encoding: the fields of a hash, or Bedrock's JSON string. The two
 * encodings read flags and numbers their own way; text reads {@code ""} when a field is missing.
 */
sealed interface StoredFields permits StoredHash, StoredJson {
    String text(String field);

    /** The stored {@code isActive}. */
    boolean active();

    /** The stored {@code schedulable}, where a missing value means schedulable. */
    boolean schedulable();

    /** The stored {@code priority}, 50 when missing. */
    int priority();
}
