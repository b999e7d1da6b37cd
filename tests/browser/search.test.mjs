// Search, the 404 page and the search box as a reader meets them: the
// bundled site built for a sub-path (`--base-url http://127.0.0.1:PORT/sub/`)
// and served by a plain static file server that answers missing paths with
// 404.html; then opened from disk.
//
// Run from the repo root: `cd tests/browser && npm ci && node --test`.
// Needs a build of crossbrief (CROSSBRIEF_BIN, default target/debug/crossbrief)
// and Chromium (CHROMIUM, default /usr/bin/chromium). SCREENSHOTS=dir keeps
// screenshots of the search page and the 404 page.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { bin, launch, recordErrors, repo } from "./support.mjs";

const shots = process.env.SCREENSHOTS;
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv", ".svg": "image/svg+xml",
};
let browser, work, server, origin;
// Sites served by the test server: URL prefix -> output folder.
const sites = {};

// A plain static file server: folders answer with their index.html, and a
// missing path with the site's 404.html and status 404, as GitHub Pages,
// Netlify and a configured nginx do.
function serve(req, res) {
  const url = new URL(req.url, "http://x");
  const prefix = Object.keys(sites).find((p) => url.pathname.startsWith(p));
  if (!prefix) return res.writeHead(404).end("no site here");
  const out = sites[prefix];
  let file = normalize(join(out, decodeURIComponent(url.pathname.slice(prefix.length))));
  if (!file.startsWith(out)) return res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) {
    res.writeHead(404, { "content-type": types[".html"] });
    return res.end(readFileSync(join(out, "404.html")));
  }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "crossbrief-search-"));
  server = createServer(serve);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  const sub = join(work, "sub");
  execFileSync(bin, ["build", "--root", repo, "--out", sub, "--base-url", `${origin}/sub/`], { stdio: "inherit" });
  sites["/sub/"] = sub;
  // The same site built without a base URL, served under another path.
  const plain = join(work, "plain");
  execFileSync(bin, ["build", "--root", repo, "--out", plain], { stdio: ["ignore", "ignore", "inherit"] });
  sites["/elsewhere/site/"] = plain;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

// A page that records script errors and failed requests.
async function open(context) {
  const page = await context.newPage();
  page.errors = recordErrors(page, { console: false });
  return page;
}

test("search finds claims, filters them, keeps the query in the URL and opens a result", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await open(context);
  const fetched = [];
  page.on("requestfinished", async (r) => {
    if (r.url().includes("/pagefind/")) {
      const sizes = await r.sizes();
      fetched.push({ url: r.url(), bytes: sizes.responseBodySize });
    }
  });
  // From the header's search box on the home page.
  await page.goto(`${origin}/sub/`);
  await page.fill("header input[name=q]", "export controls");
  await page.press("header input[name=q]", "Enter");
  await page.waitForURL(/\/sub\/search\/index\.html\?q=export\+controls$/);
  await page.waitForSelector("#search-results li");
  const status = await page.textContent("#search-status");
  assert.match(status, /^\d+ results? for “export controls”/);
  const marks = await page.locator("#search-results mark").allTextContents();
  assert.ok(marks.some((m) => /export|control/i.test(m)), `highlighted: ${marks}`);
  const first = await page.locator("#search-results li a").first().getAttribute("href");
  assert.match(first, /^\/sub\/(claims|briefs)\/[^/]+\/index\.html$/);
  const firstSearch = fetched.reduce((n, f) => n + f.bytes, 0);
  console.log(`# first search downloaded ${fetched.length} pagefind files, ${firstSearch} bytes`);
  await shot(page, "search-results");

  // A country filter: the results narrow, the URL keeps the query and adds it.
  const before = Number(status.match(/^(\d+)/)[1]);
  await page.click(".filter-panel summary");
  const china = page.locator("fieldset.filter-group", { hasText: "Countries" }).locator("label", { hasText: /^\s*China\b/ }).locator("input");
  await china.check();
  await page.waitForURL(/[?&]countries=China/);
  assert.match(page.url(), /[?&]q=export\+controls/);
  await page.waitForFunction((n) => {
    const m = document.querySelector("#search-status").textContent.match(/^(\d+) results?.*Countries: China/);
    return m && Number(m[1]) <= n;
  }, before);
  // A second filter of another kind narrows further: both must hold.
  const kind = page.locator("fieldset.filter-group", { hasText: "Kind" }).locator("input[value=recommendation]");
  if (await kind.count()) {
    await kind.check();
    await page.waitForURL(/[?&]kind=recommendation/);
    await page.waitForFunction(() => /Kind: recommendation/.test(document.querySelector("#search-status").textContent));
    await kind.uncheck();
  }
  await shot(page, "search-filtered");

  // The URL alone reproduces the search, filters included.
  const shared = page.url();
  const again = await open(context);
  await again.goto(shared);
  await again.waitForFunction(() => /Countries: China/.test(document.querySelector("#search-status").textContent));
  assert.equal(await again.inputValue("#search-q"), "export controls");
  assert.ok(await again.locator("input[name=countries][value=China]").isChecked());
  await again.close();

  // A result opens its page.
  await page.locator("#search-results li a").first().click();
  await page.waitForURL(/\/sub\/(claims|briefs)\/[^/]+\/index\.html$/);
  assert.ok((await page.textContent("h1")).trim().length > 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a phrase from the text finds its claim", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  await page.goto(`${origin}/sub/search/index.html?q=${encodeURIComponent("Entity List")}`);
  await page.waitForSelector("#search-results li");
  const excerpts = await page.locator("#search-results .result-excerpt").allInnerTexts();
  assert.ok(excerpts.some((e) => /Entity List/i.test(e)), excerpts.join("\n"));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a deep missing URL shows the styled 404 page with working links", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await open(context);
  const response = await page.goto(`${origin}/sub/a/b/c/nothing`);
  assert.equal(response.status(), 404);
  assert.equal((await page.textContent("h1")).trim(), "Page not found");
  // Styled: the theme's fonts and the header layout apply.
  const font = await page.evaluate(() => getComputedStyle(document.querySelector("h1")).fontFamily);
  assert.match(font, /system-ui|Segoe|Roboto|Arial|sans-serif/);
  const display = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header .wrap")).display);
  assert.equal(display, "flex");
  await shot(page, "404-deep");
  const home = await page.locator("main a", { hasText: "home page" }).getAttribute("href");
  assert.equal(home, "/sub/index.html");
  await page.locator("main a", { hasText: "home page" }).click();
  await page.waitForURL(`${origin}/sub/index.html`);
  assert.match(await page.textContent("h1"), /crossbrief/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("without a base URL the 404 page finds the site's root itself", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  // No section of the site in the path: found by probing for the index.
  await page.goto(`${origin}/elsewhere/site/a/b/c/nothing`);
  await page.waitForFunction(() =>
    document.querySelector("main a").getAttribute("href") === "/elsewhere/site/index.html");
  assert.equal(await page.locator("header form").getAttribute("action"), "/elsewhere/site/search/index.html");
  // A section in the path: its parent is the root, at once.
  await page.goto(`${origin}/elsewhere/site/claims/no-such-claim/`);
  await page.waitForFunction(() =>
    document.querySelector("link[rel=stylesheet]").getAttribute("href") === "/elsewhere/site/style.css");
  const briefs = page.locator("main a", { hasText: "list of briefs" });
  assert.equal(await briefs.getAttribute("href"), "/elsewhere/site/briefs/index.html");
  await Promise.all([page.waitForURL(`${origin}/elsewhere/site/briefs/index.html`), briefs.click()]);
  await context.close();
});

test("opened from disk, search says it is unavailable and links to the indexes", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const site = sites["/elsewhere/site/"];
  await page.goto(pathToFileURL(join(site, "countries", "index.html")).href);
  const note = page.locator("header .search-offline");
  assert.ok(await note.isVisible(), "the header says search is unavailable");
  assert.match(await note.textContent(), /served over HTTP/);
  assert.ok(!(await page.locator("header input[name=q]").isVisible()));
  const countries = await note.locator("a", { hasText: "countries" }).getAttribute("href");
  assert.equal(countries, "../countries/index.html");
  await shot(page, "header-from-disk");
  await page.goto(pathToFileURL(join(site, "search", "index.html")).href + "?q=quantum");
  const box = page.locator("#search-unavailable");
  assert.ok(await box.isVisible());
  assert.match(await box.textContent(), /not available here/);
  assert.ok(await box.locator("a[href='../countries/index.html']").count() === 1);
  assert.ok(!(await page.locator("#search-form").isVisible()));
  await shot(page, "search-from-disk");
  assert.deepEqual(page.errors, []);
  await context.close();
});
