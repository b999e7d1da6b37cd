// Browser checks of a built site, as a reader meets it: opened from disk
// (file://) and under a sub-path of a web server. Every page reached by
// clicking must load with its stylesheet and without console errors.
//
// Run from the repo root: `cd tests/browser && npm ci && node --test`.
// Needs a release or debug build of crossbrief (CROSSBRIEF_BIN, default
// target/debug/crossbrief) and Chromium (CHROMIUM, default /usr/bin/chromium).
// SCREENSHOTS=dir keeps a screenshot of each page visited.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { bin, launch, recordErrors, repo } from "./support.mjs";

const shots = process.env.SCREENSHOTS;
let browser;
let work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "crossbrief-browser-"));
  execFileSync(bin, ["build", "--root", repo, "--out", join(work, "site")], { stdio: "inherit" });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// Opens `url`, checks it rendered styled and error-free, returns the page.
async function visit(context, url, name) {
  const page = await context.newPage();
  const errors = recordErrors(page);
  const response = await page.goto(url);
  if (response) assert.ok(response.ok(), `${url}: HTTP ${response.status()}`);
  assert.deepEqual(errors, [], `${url}: errors`);
  const sheets = await page.evaluate(() => document.styleSheets.length);
  assert.ok(sheets > 0, `${url}: no stylesheet applied`);
  const h1 = await page.locator("h1").first().textContent();
  assert.ok(h1 && h1.trim().length > 0, `${url}: no heading`);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
  }
  return page;
}

// Follows the first link matching `selector` and returns the new page.
async function follow(context, page, selector, name) {
  // SVG links (the charts) hold their href as an object: resolve the attribute.
  const href = await page.locator(selector).first().evaluate((a) => new URL(a.getAttribute("href"), a.baseURI).href);
  await page.close();
  return visit(context, href, name);
}

async function walk(context, start, prefix) {
  // Reading path: home, the list of briefs, a brief, one of its claims.
  let page = await visit(context, start, `${prefix}-home`);
  page = await follow(context, page, "header a[href*='briefs/']", `${prefix}-briefs`);
  page = await follow(context, page, "main a[href*='briefs/'][href*='/index.html']:not([href$='briefs/index.html'])", `${prefix}-brief`);
  page = await follow(context, page, "main a[href*='claims/']", `${prefix}-claim`);
  await page.close();
  // Browsing path: a taxonomy, its largest term, a claim listed there.
  page = await visit(context, start, `${prefix}-home-again`);
  page = await follow(context, page, "header a[href*='countries/']", `${prefix}-countries`);
  page = await follow(context, page, "main a[href*='countries/'][href$='/index.html']:not([href$='countries/index.html'])", `${prefix}-term`);
  page = await follow(context, page, "main a[href*='claims/']", `${prefix}-term-claim`);
  await page.close();
  // One click from a matrix cell of the home page to the claims carrying both tags.
  page = await visit(context, start, `${prefix}-home-matrix`);
  if (await page.locator("svg.heatmap-chart a[href*='/with/']").count() > 0) {
    page = await follow(context, page, "svg.heatmap-chart a[href*='/with/']", `${prefix}-pair`);
    assert.ok(await page.locator("main a[href*='claims/']").count() > 0, "a matrix cell leads to claims");
  }
  await page.close();
}

test("the site works opened from disk", async () => {
  const context = await browser.newContext();
  await walk(context, pathToFileURL(join(work, "site", "index.html")).href, "file");
  await context.close();
});

test("the site works under a sub-path of a web server", async () => {
  const out = join(work, "sub");
  execFileSync(bin, ["build", "--root", repo, "--out", out, "--base-url", "http://127.0.0.1/briefs-site/"]);
  const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml" };
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith("/briefs-site/")) {
      res.writeHead(404).end();
      return;
    }
    let file = join(out, decodeURIComponent(url.pathname.slice("/briefs-site/".length)));
    if (!file.startsWith(out)) return res.writeHead(403).end();
    if (existsSync(file) && !extname(file)) file = join(file, "index.html");
    if (file.endsWith("/")) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  const context = await browser.newContext();
  try {
    await walk(context, `http://127.0.0.1:${port}/briefs-site/`, "subpath");
  } finally {
    await context.close();
    server.close();
  }
});
