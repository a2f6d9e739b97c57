// Progress for long commands: a bar with an estimate of the time left on a terminal, plain lines
// (at most one every few seconds) when the output is a file or a pipe.

export interface Progress {
  update(done: number, total: number, step: string): void;
  finish(message: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  let lastLine = 0;
  let lastStep = '';
  const isTty = stream.isTTY === true;
  return {
    update(done, total, step) {
      const now = performance.now();
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const elapsed = (now - started) / 1000;
      const left = fraction > 0.02 ? Math.max(0, elapsed / fraction - elapsed) : null;
      const eta = left === null ? '' : `, about ${Math.ceil(left)} s left`;
      const counts = `${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}`;
      if (isTty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${step}: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${counts}${eta}   `,
        );
      } else if (step !== lastStep || now - lastLine > 5000) {
        stream.write(`${step}: ${Math.round(fraction * 100)}% (${counts})${eta}\n`);
        lastLine = now;
      }
      lastStep = step;
    },
    finish(message) {
      stream.write(`${isTty ? '\r\x1b[K' : ''}${message}\n`);
    },
  };
}
