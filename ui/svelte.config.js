/** @type {import("@sveltejs/vite-plugin-svelte").SvelteConfig} */
export default {
  compilerOptions: {
    // Every component is written with runes; this stops legacy reactivity creeping in.
    runes: true,
  },
};
