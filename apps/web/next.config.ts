import { join } from "node:path";
import type { NextConfig } from "next";

// `npm run build -w apps/web` runs with apps/web as the working directory; the repository root is two up.
const repoRoot = join(process.cwd(), "..", "..");

const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: repoRoot,
  transpilePackages: ["@taskflow/contracts"],
  poweredByHeader: false,
  typedRoutes: false,
  // The icon is src/app/icon.svg (Next.js links it from every page); a browser that asks for /favicon.ico
  // anyway, on an answer that names no icon, gets the same mark.
  async redirects() {
    return [{ source: "/favicon.ico", destination: "/icon.svg", permanent: true }];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // Pages get the full set, with a per-request CSP nonce, from src/proxy.ts; these cover everything else.
          { key: "X-Frame-Options", value: "DENY" },
          {
            key: "Content-Security-Policy",
            value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
          },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
