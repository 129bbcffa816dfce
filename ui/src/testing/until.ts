// For the UI's tests: waiting for what a component shows after its promises and frames.

/** Resolves with `what()` once it is truthy; fails after two seconds, naming what never came. */
export async function until<T>(what: () => T | null | undefined | false): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = what();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never came: ${what}`);
}
