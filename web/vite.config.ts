import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The API is served by `weaver serve`; in development (`npm run dev`) Vite
// forwards /api to it (WEAVER_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: { '/api': process.env.WEAVER_API ?? 'http://127.0.0.1:8080' },
  },
  build: {
    // The server embeds dist/ (crates/weaver-server/build.rs); hashed files go
    // under assets/ and are served as immutable.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
})
