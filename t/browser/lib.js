'use strict';
// lib.js -- real-browser checks of the web pages, printed as TAP.
//
//	const lib = require('./lib');
//	const tap = new lib.Tap();
//	const br = await lib.launch();                  // one chromium per test file
//	const v = await br.viewer(375);                 // a context 375 px wide, one tab
//	const r = await v.visit(base + '/ko/');         // load; collect what went wrong
//	tap.none(r.consoleErrors, 'no console error');  // ... r.csp, r.badResponses
//	tap.none(await v.axe('dark'), 'axe: WCAG 2 A/AA in dark');
//	tap.ok(r.scroll.ok, 'no horizontal scroll');
//	await v.screenshot('board-ko-375-dark');
//	tap.none(await br.brokenLinks(v), 'every same-origin link resolves');
//	await br.close(); tap.done();
//
// The browser is Debian's /usr/bin/chromium (ARENA_CHROMIUM overrides),
// never one downloaded by Playwright.  It runs headless with the flags this
// machine needs (no sandbox as root, no GPU, no QUIC, no background
// networking, updates or sync); Playwright gives it a fresh temporary
// profile (--user-data-dir) itself and removes it on close.
//
// What a visit collects:
// - console messages of type "error" and uncaught page errors;
// - CSP violations: a `securitypolicyviolation` listener added by an init
//   script, which reports through a binding to this process.  Init
//   scripts and bindings are injected by the DevTools protocol, so they do
//   not weaken the page's own policy.  Console messages that mention
//   Content Security Policy count too;
// - responses of 400 or more, and failed requests, to the page's origin;
//   requests to any other origin (but those the viewer was given in
//   opts.origins) never leave the machine: images are answered with a
//   1x1 PNG (avatars), anything else is aborted, which shows up as an
//   error;
// - whether the page scrolls sideways (documentElement.scrollWidth >
//   clientWidth), with the elements that stick out.
//
// axe-core runs in the page as the page was served, under its real CSP:
// its source is evaluated through the DevTools protocol (page.evaluate),
// which CSP does not govern, so no bypassCSP context is needed.  Rules
// tagged wcag2a, wcag2aa, wcag21a and wcag21aa; the colour scheme is
// switched with emulateMedia, so light and dark are checked on one load.
//
// Screenshots go to $ARENA_SCREENSHOTS, or $top_builddir/t/screenshots.

const fs = require('fs');
const path = require('path');

function need(mod) {
	try {
		return require(mod);
	} catch (e) {
		console.log(`Bail out! ${mod} is not installed: run script/test, or npm ci in t/browser`);
		process.exit(1);
	}
}
const pw = need('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = process.env.ARENA_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--disable-dev-shm-usage'];
// a transparent 1x1 PNG
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

class Tap {
	constructor() {
		this.n = 0;
		this.failed = 0;
	}
	ok(cond, name, details) {
		this.n++;
		console.log(`${cond ? 'ok' : 'not ok'} ${this.n} - ${name}`);
		if (!cond) {
			this.failed++;
			if (details !== undefined)
				this.diag(typeof details === 'string' ? details : JSON.stringify(details, null, 1));
		}
		return !!cond;
	}
	is(got, want, name) {
		return this.ok(got === want, name, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
	}
	// passes when the list is empty; shows the list otherwise
	none(list, name) {
		return this.ok(list.length === 0, name, list.slice(0, 20));
	}
	diag(text) {
		for (const line of String(text).split('\n'))
			console.log(`#   ${line}`);
	}
	bail(why) {
		console.log(`Bail out! ${why}`);
		process.exit(1);
	}
	done() {
		console.log(`1..${this.n}`);
		process.exitCode = this.failed ? 1 : 0;
	}
}

function sameOrigin(a, b) {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch (e) {
		return false;
	}
}

// the init script: runs in every document before the page's own scripts
function watchCsp() {
	document.addEventListener('securitypolicyviolation', (e) => {
		window.__arenaCsp({
			directive: e.effectiveDirective || e.violatedDirective,
			blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
			sample: e.sample,
		});
	});
}

// what sticks out of the viewport on the right, for the report
function overflow() {
	const de = document.documentElement;
	const out = [];
	for (const el of document.body ? document.body.querySelectorAll('*') : []) {
		const r = el.getBoundingClientRect();
		if (r.right > de.clientWidth + 0.5 && out.length < 8) {
			let sel = el.tagName.toLowerCase();
			if (el.id) sel += '#' + el.id;
			if (el.classList.length) sel += '.' + [...el.classList].join('.');
			out.push(`${sel} right=${Math.round(r.right)}`);
		}
	}
	return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
		ok: de.scrollWidth <= de.clientWidth, sticksOut: out };
}

// every same-origin URL the page refers to: links, stylesheets, icons,
// images, scripts, the Open Graph image
function references() {
	const urls = [];
	for (const a of document.querySelectorAll('a[href], link[href]'))
		urls.push(a.href);
	for (const e of document.querySelectorAll('img[src], script[src]'))
		urls.push(e.src);
	for (const m of document.querySelectorAll('meta[property="og:image"], meta[name="twitter:image"]'))
		urls.push(new URL(m.content, document.baseURI).href);
	return urls;
}

// a tab in a context of one width; it is reused across pages
class Viewer {
	constructor(browser, ctx, page, width) {
		this.browser = browser;
		this.ctx = ctx;
		this.page = page;
		this.width = width;
		this.reset();
		page.on('console', (m) => {
			const t = m.text();
			if (m.type() === 'error')
				this.consoleErrors.push(t);
			if (/Content Security Policy/i.test(t))
				this.cspConsole.push(t);
		});
		page.on('pageerror', (e) => this.pageErrors.push(String(e)));
		page.on('response', (r) => {
			if (r.status() >= 400 && sameOrigin(r.url(), this.url))
				this.badResponses.push(`${r.status()} ${r.url()}`);
		});
		page.on('requestfailed', (r) => {
			if (sameOrigin(r.url(), this.url))
				this.badResponses.push(`failed ${r.url()}: ${r.failure() && r.failure().errorText}`);
		});
	}
	reset() {
		this.consoleErrors = [];
		this.pageErrors = [];
		this.cspEvents = [];
		this.cspConsole = [];
		this.badResponses = [];
	}
	// loads url; resolves to what went wrong on the way and the page's state
	async visit(url, opts = {}) {
		this.reset();
		this.url = url;
		await this.page.emulateMedia({ colorScheme: opts.colorScheme || 'light' });
		const resp = await this.page.goto(url, { waitUntil: 'load' });
		// events of the load are delivered before goto resolves; a
		// short settle lets late console messages arrive
		await this.page.waitForTimeout(50);
		const scroll = await this.page.evaluate(overflow);
		const csp = this.cspEvents.map((v) => `${v.directive} blocked ${v.blocked || '(inline)'}` +
			` at ${v.source || '?'}:${v.line || '?'} ${v.sample || ''}`.trimEnd());
		for (const t of this.cspConsole)
			if (!csp.some((c) => t.includes(c)))
				csp.push(t);
		return {
			status: resp ? resp.status() : 0,
			headers: resp ? resp.headers() : {},
			url: this.page.url(),
			lang: await this.page.evaluate(() => document.documentElement.lang),
			consoleErrors: this.consoleErrors.slice(),
			pageErrors: this.pageErrors.slice(),
			csp,
			badResponses: this.badResponses.slice(),
			scroll,
		};
	}
	// axe-core's WCAG 2 A/AA violations of the loaded page in one scheme,
	// one line each: rule, impact, first targets
	async axe(colorScheme) {
		await this.page.emulateMedia({ colorScheme });
		const loaded = await this.page.evaluate(() => typeof window.axe === 'object');
		if (!loaded)
			await this.page.evaluate(AXE_SOURCE + '\n;0');
		const res = await this.page.evaluate((tags) => window.axe.run(document, {
			runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
		}), AXE_TAGS);
		return res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ` +
			v.nodes.slice(0, 4).map((n) => n.target.join(' ') +
				(n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''))
				.join(' | ') + (v.nodes.length > 4 ? ` (+${v.nodes.length - 4} more)` : ''));
	}
	async screenshot(name) {
		const dir = screenshotDir();
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, name + '.png');
		await this.page.screenshot({ path: file, fullPage: true });
		return file;
	}
	async close() {
		await this.ctx.close();
	}
}

function screenshotDir() {
	if (process.env.ARENA_SCREENSHOTS)
		return process.env.ARENA_SCREENSHOTS;
	const top = process.env.top_builddir || path.join(__dirname, '..', '..', '_build');
	return path.join(top, 't', 'screenshots');
}

class Browser {
	constructor(browser) {
		this.browser = browser;
		this.checked = new Map();	// URL -> status, across the whole file
	}
	// a context `width` px wide (height 800) with one tab; JavaScript on
	// unless opts.javaScriptEnabled is false (the CSP watch needs it);
	// opts.origins lists other origins the tab may reach too (a stand-in
	// sign-in provider on another loopback port)
	async viewer(width, opts = {}) {
		const js = opts.javaScriptEnabled !== false;
		const allowed = (opts.origins || []).map((o) => new URL(o).origin);
		const ctx = await this.browser.newContext({
			viewport: { width, height: 800 }, javaScriptEnabled: js,
			locale: opts.locale || 'en-US', serviceWorkers: 'block',
		});
		let v = null;
		await ctx.route(() => true, (route) => {
			const req = route.request();
			if (v && v.url && sameOrigin(req.url(), v.url))
				return route.continue();
			if (allowed.some((o) => sameOrigin(req.url(), o)))
				return route.continue();
			if (req.resourceType() === 'image')
				return route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL });
			return route.abort('blockedbyclient');
		});
		if (js) {
			await ctx.exposeFunction('__arenaCsp', (info) => v && v.cspEvents.push(info));
			await ctx.addInitScript(watchCsp);
		}
		ctx.setDefaultTimeout(10000);
		v = new Viewer(this, ctx, await ctx.newPage(), width);
		return v;
	}
	// same-origin references of the viewer's page whose GET (redirects
	// followed) ends in 400 or more; each URL is fetched once per file, with
	// a cookie jar of its own so language links do not change the viewer's
	async brokenLinks(viewer) {
		const base = viewer.page.url();
		const urls = (await viewer.page.evaluate(references))
			.map((u) => u.split('#')[0])
			.filter((u) => sameOrigin(u, base));
		if (!this.req)
			this.req = await pw.request.newContext();
		const bad = [];
		for (const u of new Set(urls)) {
			if (!this.checked.has(u)) {
				let st;
				try {
					st = (await this.req.get(u, { maxRedirects: 5, timeout: 10000 })).status();
				} catch (e) {
					st = String(e).split('\n')[0];
				}
				this.checked.set(u, st);
			}
			const st = this.checked.get(u);
			if (typeof st !== 'number' || st >= 400)
				bad.push(`${st} ${u}`);
		}
		return bad;
	}
	async close() {
		if (this.req)
			await this.req.dispose();
		await this.browser.close();
	}
}

async function launch() {
	if (!fs.existsSync(CHROMIUM)) {
		console.log(`Bail out! ${CHROMIUM} is missing: run script/test (apt-get install chromium)`);
		process.exit(1);
	}
	const browser = await pw.chromium.launch({
		executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000,
	});
	return new Browser(browser);
}

// runs main(tap) and turns a thrown error into a bail-out
function run(main) {
	const tap = new Tap();
	main(tap).then(() => tap.done(), (e) => {
		tap.diag(e && e.stack ? e.stack : String(e));
		tap.bail(`unexpected error: ${String(e).split('\n')[0]}`);
	});
}

module.exports = { Tap, launch, run, AXE_TAGS, screenshotDir };
