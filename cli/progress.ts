// Progress bar for long runs (cli-progress), shown only on a TTY, without --json, and only once a
// run has taken more than a second. In: fraction-done callbacks; out: a bar on stderr.

import cliProgress from "cli-progress";

export interface Progress {
  update(fraction: number): void;
  stop(): void;
}

export function makeProgress(enabled: boolean, label: string): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(fraction) {
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {eta_formatted} left`, hideCursor: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, 0);
      }
      bar.update(Math.round(fraction * 1000));
    },
    stop() {
      if (bar) {
        bar.update(1000);
        bar.stop();
      }
    },
  };
}
