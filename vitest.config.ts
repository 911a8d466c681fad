import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
    setupFiles: ["src/ui/shared/testing/setup-dom.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { TZ: "UTC" },
  },
});
