import { NextResponse, type NextRequest } from "next/server";

// The backend's routes are rewritten to BACKEND_URL, read when the server runs (a rewrite in
// next.config is fixed at build time). The browser only ever talks to this origin: cookies
// stay first-party and no CORS is needed.
const DEFAULT_BACKEND_URL = "http://127.0.0.1:8000";

export function middleware(request: NextRequest) {
  const backend = process.env.BACKEND_URL || DEFAULT_BACKEND_URL;
  const target = new URL(request.nextUrl.pathname + request.nextUrl.search, backend);
  return NextResponse.rewrite(target);
}

export const config = {
  matcher: ["/api/:path*", "/health", "/ready"],
  runtime: "nodejs",
};
