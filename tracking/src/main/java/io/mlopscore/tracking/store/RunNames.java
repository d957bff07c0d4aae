package io.mlopscore.tracking.store;

import java.util.concurrent.ThreadLocalRandom;

/** Readable generated run names ("bold-owl-417"), as MLflow gives runs created without a name. */
final class RunNames {
    private static final String[] ADJECTIVES = {
        "able", "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "fair", "fast", "gentle", "glad", "grand",
        "honest", "keen", "kind", "lively", "lucky", "merry", "mild", "neat", "noble", "proud", "quick", "quiet", "rare",
        "sharp", "shy", "silent", "smart", "steady", "sunny", "swift", "tidy", "warm", "wise", "witty", "zesty"
    };
    private static final String[] NOUNS = {
        "ant", "bat", "bear", "bee", "crab", "crane", "deer", "dove", "duck", "eel", "elk", "finch", "fox", "frog", "gnu",
        "goat", "hare", "hawk", "heron", "ibis", "jay", "koala", "lark", "lynx", "mole", "moth", "newt", "owl", "panda",
        "quail", "robin", "seal", "shrew", "snail", "swan", "toad", "trout", "wolf", "wren", "yak"
    };

    private RunNames() {}

    static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + NOUNS[r.nextInt(NOUNS.length)] + "-" + r.nextInt(1000);
    }
}
