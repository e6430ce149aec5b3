import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Compression buffers a proxied text/event-stream; tokens must reach the browser as they come.
  compress: false,
};

export default nextConfig;
