// What every browser test shares: where the repository and the crossbrief
// binary are, headless Chromium launched the same way, and a page that
// records what went wrong on it.

import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "../..");
export const bin = process.env.CROSSBRIEF_BIN || join(repo, "target/debug/crossbrief");

// Headless Chromium (CHROMIUM, default /usr/bin/chromium), without the
// background traffic a profile would start.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// The errors of `page` as they happen: script errors, failed requests and,
// unless `console` is false, console errors (a 404 page's own request
// logs one, which a test of 404s expects).
export function recordErrors(page, { console = true } = {}) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (console) page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("requestfailed", (r) => errors.push(`failed: ${r.url()}`));
  return errors;
}
