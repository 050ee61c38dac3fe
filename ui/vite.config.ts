import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  // Tauri serves the bundle from its own protocol, so asset URLs must be relative.
  base: "./",
  plugins: [svelte()],
  // Keep Tauri's Rust build output visible when both run in one terminal.
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The CSP is `default-src 'self'`: inlined `data:` assets would be blocked.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
