import { defineConfig } from "vitest/config";

// Preact's JSX through esbuild: no framework plugin needed.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
  // One zone with DST switches for every test, whatever the machine's: Europe/Berlin.
  test: { environment: "node", env: { TZ: "Europe/Berlin" } },
});
