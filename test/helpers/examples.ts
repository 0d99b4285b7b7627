// Examples too large for the suites that build and run every example (threads, exports to peers, hardware
// mappings, the reference target): the cortical microcircuit at full scale has 0.3 billion synapses. Each has a
// test of its own (test/microcircuit runs it at scale 0.1). In: an example's file name; out: whether a
// per-example sweep builds its network.
export const LARGE_EXAMPLES: ReadonlySet<string> = new Set(["microcircuit.glia"]);

/** True for examples/*.glia files a sweep that builds networks should take (`f` a file name or path). */
export const sweepable = (f: string): boolean => !LARGE_EXAMPLES.has(f.split("/").pop() ?? f);
