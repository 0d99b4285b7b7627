// The emulator's error: a descriptor it cannot run (the CLI reports it as a diagnostic). In: a message; out:
// the exception engine.ts and timing.ts throw.

export class EmulatorError extends Error {}
