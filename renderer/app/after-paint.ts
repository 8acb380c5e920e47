// Runs work that can wait until the browser has painted what the last store change showed
// (a ringing call's pop): after the next frame, or after 100 ms when frames do not come
// (a hidden or minimized window gets none), whichever is first. Once.
const LATEST_MS = 100;

export function afterPaint(fn: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, LATEST_MS);
}
