// Live reload in a real browser: `crossbrief serve` on a copy of the mini
// fixture, a claim page open in headless Chromium; editing the claim reloads
// the page with the new text, a bad edit shows the error overlay (with the
// file and line), and fixing it removes the overlay.
//
// Run from the repo root: `cd tests/browser && npm ci && node --test`.
// Needs a build of crossbrief (CROSSBRIEF_BIN, default target/debug/crossbrief)
// and Chromium (CHROMIUM, default /usr/bin/chromium).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { bin, launch, repo } from "./support.mjs";

let browser;
let work;
let server;
let base;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "crossbrief-serve-"));
  cpSync(join(repo, "tests/fixtures/mini"), join(work, "site"), { recursive: true });
  server = spawn(bin, ["serve", "--root", join(work, "site"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout });
    lines.on("line", (line) => {
      const m = line.match(/(http:\/\/[^ ]+\/)/);
      if (line.startsWith("serving ") && m) ok(m[1]);
    });
    server.on("exit", (code) => fail(new Error(`crossbrief serve exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((ok) => server.on("exit", ok));
    server.kill("SIGINT");
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test("editing a claim reloads its page; a bad edit shows the overlay until fixed", async () => {
  const file = join(work, "site/content/claims/alpha-2024-quantum/0002.md");
  const good = readFileSync(file, "utf8");
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}claims/alpha-2024-quantum-0002/`);
  assert.match(await page.locator("main").innerText(), /quantum satellite/);
  // Give the page's event stream a moment to connect before editing.
  await page.waitForTimeout(500);

  let navigated = page.waitForEvent("load");
  writeFileSync(file, good.replace("quantum satellite", "quantum satellite constellation"));
  await navigated;
  await page.waitForFunction(() => document.body.innerText.includes("quantum satellite constellation"));
  assert.equal(await page.locator("#crossbrief-error-overlay").count(), 0);

  writeFileSync(file, good.replace("order: 2", "order: [2"));
  const overlay = page.locator("#crossbrief-error-overlay");
  await overlay.waitFor({ state: "visible" });
  const text = await overlay.innerText();
  assert.match(text, /content\/claims\/alpha-2024-quantum\/0002\.md:4:/);
  // The last good page stays underneath.
  assert.match(await page.locator("main").innerText(), /quantum satellite constellation/);

  navigated = page.waitForEvent("load");
  writeFileSync(file, good);
  await navigated;
  await page.waitForFunction(() => !document.body.innerText.includes("constellation"));
  assert.equal(await page.locator("#crossbrief-error-overlay").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
