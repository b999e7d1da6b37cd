// The reading aids as a reader uses them, in headless Chromium on the
// bundled site served over HTTP: every page kind at 1280 and 390 px in
// both colour schemes (no horizontal scroll, no console error, axe-core
// without serious or critical violations, a screenshot of each under
// target/screenshots/reading/), the copy button of "Cite this", the term
// page's filter, the j / k / ? and / keys, the charts, print emulation, and
// the markup of a sample of every page kind through html-validate and the
// Nu Html Checker (npm vnu-jar, run on the installed Java: JAVA, default
// `java` on the PATH).
//
// Run from the repo root: `cd tests/browser && npm ci && node --test`.
// Needs a build of crossbrief (CROSSBRIEF_BIN, default target/debug/crossbrief)
// and Chromium (CHROMIUM, default /usr/bin/chromium).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import { bin, launch, recordErrors, repo } from "./support.mjs";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const shots = process.env.SCREENSHOTS || join(repo, "target/screenshots/reading");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
let browser;
let work;
let server;
let origin;
let kinds;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "crossbrief-reading-"));
  const out = join(work, "site");
  execFileSync(bin, ["build", "--root", repo, "--out", out], { stdio: "inherit" });
  const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json" };
  server = createServer((req, res) => {
    let file = join(out, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(out)) return res.writeHead(403).end();
    if (file.endsWith("/")) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${server.address().port}/`;
  // A claim with a previous and a next one, and a paginated list.
  const claims = readdirSync(join(out, "claims")).filter((d) => d.startsWith("rand-2023-parker-")).sort();
  const pair = readdirSync(join(out, "countries/china/with"), { recursive: true })
    .find((p) => p.endsWith("index.html"));
  kinds = {
    home: "",
    briefs: "briefs/",
    brief: "briefs/merics-2024-quantum/",
    claim: `claims/${claims[1]}/`,
    claims: "claims/",
    taxonomy: "countries/",
    term: "countries/china/",
    "term-page-2": "countries/china/page/2/",
    pair: `countries/china/with/${pair.replace(/index\.html$/, "")}`,
    recommendations: "policies/export-controls/recommendations/",
    search: "search/",
    help: "help/",
  };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// Opens `path` of the site and collects console errors.
async function open(context, path) {
  const page = await context.newPage();
  const errors = recordErrors(page);
  const response = await page.goto(origin + path);
  assert.ok(response.ok(), `${path}: HTTP ${response.status()}`);
  await page.waitForLoadState("load");
  return { page, errors };
}

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
    [],
    `${label}: axe violations`,
  );
}

test("every page kind reads at 1280 and 390 px, light and dark", async () => {
  mkdirSync(shots, { recursive: true });
  for (const scheme of ["light", "dark"]) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      for (const [kind, path] of Object.entries(kinds)) {
        const label = `${kind} ${width}px ${scheme}`;
        const { page, errors } = await open(context, path);
        const h1 = await page.locator("h1").first().textContent();
        assert.ok(h1 && h1.trim().length > 3, `${label}: heading "${h1}"`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${label}: scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: join(shots, `${kind}-${width}-${scheme}.png`) });
        if (width === 1280 || kind === "home") await axe(page, label);
        assert.deepEqual(errors, [], `${label}: errors`);
        await page.close();
      }
      await context.close();
    }
  }
});

test("cite this claim: the copy button copies the reference", async () => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: origin.slice(0, -1) });
  const { page, errors } = await open(context, kinds.claim);
  const chicago = page.locator("#cite-chicago");
  const text = await chicago.textContent();
  // The permalink was made absolute where the page is read.
  assert.ok(text.includes(`${origin}${kinds.claim}`), text);
  assert.match(text, /^[^.]+\. 2023\. “/);
  const button = page.locator("button[data-copy='cite-chicago']");
  assert.ok(await button.isVisible(), "copy button shown");
  await button.click();
  await page.waitForFunction(() => document.querySelector("button[data-copy='cite-chicago']").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  // BibTeX and RIS behind their disclosure, with the same address.
  await page.locator(".cite-more summary").click();
  const bib = await page.locator("#cite-bibtex").textContent();
  assert.match(bib, /^@techreport\{rand-2023-parker-/);
  assert.ok(bib.includes(`url = {${origin}${kinds.claim}}`), bib);
  await page.locator("button[data-copy='cite-ris']").click();
  await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t.startsWith("TY  - RPRT")));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a term page's claims filter by brief, kind and the other taxonomies", async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, kinds.term);
  const form = page.locator("#claim-filter");
  assert.ok(await form.isVisible(), "filter shown with script");
  const items = page.locator(".claim-list .claim-item");
  const all = await items.count();
  const visible = () => page.locator(".claim-list .claim-item:visible").count();
  assert.equal(await visible(), all);
  for (const key of ["brief", "kind", "technologies", "policies"]) {
    const select = form.locator(`select[data-filter='${key}']`);
    const option = select.locator("option").nth(1);
    const label = await option.textContent();
    const want = Number(label.match(/\((\d+)\)$/)[1]);
    await select.selectOption(await option.getAttribute("value"));
    assert.equal(await visible(), want, `${key}: ${label}`);
    assert.match(await form.locator(".filter-status").textContent(), new RegExp(`Showing ${want} of ${all}`));
    await form.locator("button[type='reset']").click();
    await page.waitForFunction((n) => document.querySelectorAll(".claim-list .claim-item:not([hidden])").length === n, all);
  }
  // Two choices together keep only the claims matching both.
  await form.locator("select[data-filter='kind']").selectOption("recommendation");
  await form.locator("select[data-filter='policies']").selectOption("export-controls");
  const both = await visible();
  assert.ok(both < all);
  for (const li of await page.locator(".claim-list .claim-item:visible").all()) {
    assert.match(await li.getAttribute("class"), /kind-recommendation/);
    assert.match(await li.getAttribute("data-terms"), /policies:export-controls/);
  }
  assert.deepEqual(errors, []);
  await context.close();

  // Without script, every claim is listed and the filter is not offered.
  const still = await browser.newContext({ javaScriptEnabled: false });
  const bare = await still.newPage();
  await bare.goto(origin + kinds.term);
  assert.equal(await bare.locator("#claim-filter").isVisible(), false);
  assert.equal(await bare.locator(".claim-list .claim-item:visible").count(), all);
  assert.ok((await bare.locator("#cite-chicago").count()) === 0);
  await bare.goto(origin + kinds.claim);
  assert.ok((await bare.locator("#cite-chicago").textContent()).includes(kinds.claim));
  assert.equal(await bare.locator("button.copy").first().isVisible(), false);
  await still.close();
});

test("j and k step through a brief's claims, / goes to search, ? to help", async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, kinds.claim);
  const next = await page.locator("a[rel=next]").getAttribute("href");
  await Promise.all([page.waitForURL((u) => u.href !== origin + kinds.claim), page.keyboard.press("j")]);
  assert.ok(page.url().endsWith(next.replace(/^\.\.\/\.\.\//, "")), page.url());
  await Promise.all([page.waitForURL((u) => u.href.endsWith(`${kinds.claim}index.html`)), page.keyboard.press("k")]);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search");
  // Typing in the field is typing, not navigation.
  await page.keyboard.type("jk");
  assert.equal(await page.locator("#site-search").inputValue(), "jk");
  await page.locator("main h1").click();
  await Promise.all([page.waitForURL(/help\/index\.html$/), page.keyboard.press("?")]);
  assert.ok(await page.locator("kbd", { hasText: "j" }).count() > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("charts are drawn with titles, descriptions and links", async () => {
  const context = await browser.newContext();
  for (const [path, ids] of [
    [kinds.taxonomy, ["chart-terms"]],
    [kinds.term, ["chart-briefs", "chart-kinds"]],
    [kinds.brief, ["chart-strip"]],
    [kinds.home, ["matrix"]],
  ]) {
    const { page, errors } = await open(context, path);
    for (const id of ids) {
      const svg = page.locator(`svg[aria-labelledby='${id}-t']`);
      assert.equal(await svg.count(), 1, `${path}: ${id}`);
      assert.ok((await page.locator(`#${id}-t`).textContent()).length > 5);
      assert.ok((await page.locator(`#${id}-d`).textContent()).length > 20);
      const box = await svg.boundingBox();
      assert.ok(box.width > 200 && box.height > 30, `${path}: ${id} drawn ${JSON.stringify(box)}`);
      const marks = svg.locator("a");
      assert.ok(await marks.count() > 1, `${path}: ${id} marks`);
      const href = await marks.first().evaluate((a) => a.href.baseVal || a.getAttribute("href"));
      assert.ok(href, `${path}: ${id} mark links`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
  await context.close();
});

test("printed pages leave out the chrome and end with their address", async () => {
  const context = await browser.newContext();
  for (const kind of ["brief", "claim", "term"]) {
    const { page } = await open(context, kinds[kind]);
    await page.emulateMedia({ media: "print" });
    for (const sel of [".site-header", ".site-footer", ".breadcrumb"]) {
      assert.equal(await page.locator(sel).first().isVisible(), false, `${kind}: ${sel} printed`);
    }
    if (kind !== "term") {
      assert.ok(await page.locator(".page-url").isVisible(), `${kind}: page address`);
      assert.ok((await page.locator(".page-url").textContent()).includes(origin + kinds[kind]));
      assert.ok(await page.locator("#cite-chicago").isVisible(), `${kind}: cite as`);
      assert.equal(await page.locator("button.copy").first().isVisible(), false);
    }
    if (kind === "brief") {
      const after = await page.locator(".notes a[href^='http']").first()
        .evaluate((a) => getComputedStyle(a, "::after").content);
      assert.match(after, /http/, "link addresses printed");
    }
    await page.screenshot({ path: join(shots, `${kind}-print.png`), fullPage: false });
    await page.close();
  }
  await context.close();
});

test("a sample of every page kind is valid HTML", async () => {
  const validator = new HtmlValidate({
    extends: ["html-validate:standard"],
    rules: {
      // The site's own choices, not errors of the markup.
      "no-inline-style": "off",
      "long-title": "off",
    },
  });
  const out = join(work, "site");
  const problems = [];
  for (const [kind, path] of Object.entries(kinds)) {
    const file = join(out, path, "index.html");
    const report = await validator.validateString(readFileSync(file, "utf8"), file);
    for (const r of report.results) {
      for (const m of r.messages) problems.push(`${kind}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
  }
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
});

test("the Nu Html Checker finds no error in a sample of every page kind", () => {
  const out = join(work, "site");
  // Every kind above, the 404 page, and a second page of each kind that
  // has more than one (another brief, claim, taxonomy and term).
  const files = Object.values(kinds).map((path) => join(out, path, "index.html"));
  files.push(join(out, "404.html"));
  const claims = readdirSync(join(out, "claims")).filter((d) => d.startsWith("nbr-2025-"));
  files.push(join(out, "claims", claims[0], "index.html"));
  files.push(join(out, "briefs/rand-2023-parker/index.html"));
  files.push(join(out, "technologies/index.html"), join(out, "policies/export-controls/index.html"));
  const vnu = require("vnu-jar").toString();
  const java = process.env.JAVA || "java";
  const run = spawnSync(java, ["-jar", vnu, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  assert.ok(!run.error, `cannot run ${java} (install a Java runtime, e.g. Debian's default-jre-headless): ${run.error}`);
  // vnu writes its JSON report to stderr, and exits non-zero on errors.
  const report = JSON.parse(run.stderr || "{\"messages\":[]}");
  const problems = report.messages.map((m) =>
    `${(m.url || "").replace(`file:${out}/`, "")}:${m.lastLine}: ${m.type}: ${m.message}`);
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
  assert.equal(run.status, 0, run.stderr.slice(0, 2000));
});
