// The cycle-accurate emulator's public entry points. In: a descriptor and a hardware spec; out: an
// EmulationResult, its summary (emulate --json), a check against the fixed-point descriptor runner, and the HTML
// report.

export { emulate, EmulatorError, type EmulateOptions, type EmulationResult } from "./engine.js";
export { costModel, type CostModel } from "./costs.js";
export { emulationReportHtml } from "./report.js";
export { emulationSummary, type EmulationSummary } from "./summary.js";
export { firstSpikeDifference } from "./check.js";
export { coreUtilization, utilizationText, type CoreUse } from "./utilization.js";
