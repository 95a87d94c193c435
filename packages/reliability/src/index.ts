// Shared pieces of the reliability suite (a server under test, fault-injecting providers, counters).
export {};
