'use strict';
// pages.js BASE USER -- the leaderboard and USER's profile in each language
// at 375 and 1280 px (see t/0810-browser-pages.sh): status and <html lang>,
// no console or page error, no CSP violation, no failed same-origin
// request, no sideways scroll, nothing hidden making the page longer than
// its footer, no axe-core WCAG 2 A/AA violation in light and in dark;
// every same-origin link and asset resolves; an unknown user's 404 page
// (in English and Japanese) passes the same checks; the language switcher
// works with JavaScript off.  Screenshots of each page, width and scheme
// go to t/screenshots of the build directory.
const lib = require('./lib');

const [base, user] = process.argv.slice(2);
const LANGS = [['en', ''], ['ko', '/ko'], ['ja', '/ja'], ['zh', '/zh']];

function pages() {
	const list = [];
	for (const [code, prefix] of LANGS) {
		list.push({ family: 'board', lang: code, path: `${prefix}/`, status: 200 });
		list.push({ family: 'profile', lang: code, path: `${prefix}/users/${user}`, status: 200 });
	}
	// the 404 page is the same chrome: English and one of the others
	for (const [code, prefix] of [LANGS[0], LANGS[2]])
		list.push({ family: 'notfound', lang: code, path: `${prefix}/users/no-such-user`, status: 404 });
	return list;
}

async function checkPage(tap, br, v, pg) {
	const what = `${pg.path} at ${v.width} px`;
	const r = await v.visit(base + pg.path);
	tap.is(r.status, pg.status, `${what}: ${pg.status}`);
	tap.is(r.lang, pg.lang, `${what}: <html lang="${pg.lang}">`);
	let consoleErrors = r.consoleErrors;
	let bad = r.badResponses;
	if (pg.status >= 400) {
		// the page's own status is expected; chromium logs it as an error
		const self = base + pg.path;
		bad = bad.filter((s) => s !== `${pg.status} ${self}`);
		consoleErrors = consoleErrors.filter((s) =>
			!s.startsWith(`Failed to load resource: the server responded with a status of ${pg.status}`));
	}
	tap.none(consoleErrors, `${what}: no console error`);
	tap.none(r.pageErrors, `${what}: no uncaught script error`);
	tap.none(r.csp, `${what}: no CSP violation`);
	tap.none(bad, `${what}: every same-origin request answered`);
	tap.ok(r.scroll.ok, `${what}: no horizontal page scroll`, r.scroll);
	const tail = await v.page.evaluate(() => {
		const f = document.querySelector('footer');
		const end = Math.max(window.innerHeight, f ? f.getBoundingClientRect().bottom + window.scrollY : 0);
		return { scrollHeight: document.documentElement.scrollHeight, footerEnd: Math.ceil(end) };
	});
	tap.ok(tail.scrollHeight <= tail.footerEnd, `${what}: the page ends at its footer`, tail);
	for (const scheme of ['light', 'dark']) {
		tap.none(await v.axe(scheme), `${what}, ${scheme}: axe finds no WCAG 2 A/AA violation`);
		await v.screenshot(`${pg.family}-${pg.lang}-${v.width}-${scheme}`);
	}
	if (v.width === 1280) {
		let broken = await br.brokenLinks(v);
		// a missing user is missing in every language
		if (pg.family === 'notfound')
			broken = broken.filter((s) => !/^404 .*no-such-user$/.test(decodeURIComponent(s)));
		tap.none(broken, `${pg.path}: every same-origin link and asset resolves`);
	}
}

// the switcher is a plain link: it must work with JavaScript off
async function switcher(tap, br) {
	const v = await br.viewer(375, { javaScriptEnabled: false });
	const at = async () => {
		const u = new URL(v.page.url());
		return `${u.pathname}${u.search} ${await v.page.evaluate(() => document.documentElement.lang)}`;
	};
	const follow = async (code) => {
		const sel = `header a[hreflang="${code}"]`;
		if (!(await v.page.$(sel)))
			return `no ${sel} on ${v.page.url()}`;
		await Promise.all([v.page.waitForNavigation({ waitUntil: 'load' }), v.page.click(sel)]);
		return at();
	};
	await v.visit(base + '/');
	tap.is(await at(), '/ en', 'no JavaScript: / is English for an English browser');
	tap.is(await follow('ko'), '/ko/ ko', 'no JavaScript: the switcher leads from / to /ko/');
	tap.is(await follow('ja'), '/ja/ ja', 'no JavaScript: and from /ko/ to /ja/');
	await v.visit(base + '/');
	tap.is(await at(), '/ja/ ja', 'the choice is remembered: / now leads to /ja/');
	tap.is(await follow('en'), '/ en', 'no JavaScript: back to English at /');
	await v.visit(base + `/users/${user}`);
	tap.is(await follow('zh'), `/zh/users/${user} zh`, 'no JavaScript: a profile switches to /zh/users/...');
	tap.is(await follow('en'), `/users/${user} en`, 'no JavaScript: and back to /users/...');
	await v.close();
}

lib.run(async (tap) => {
	if (!base || !user)
		tap.bail('usage: pages.js BASE-URL USERNAME');
	const br = await lib.launch();
	for (const width of [375, 1280]) {
		const v = await br.viewer(width);
		for (const pg of pages()) {
			const t0 = Date.now();
			await checkPage(tap, br, v, pg);
			tap.diag(`${pg.path} at ${width} px checked in ${Date.now() - t0} ms`);
		}
		await v.close();
	}
	await switcher(tap, br);
	tap.diag(`screenshots in ${lib.screenshotDir()}`);
	await br.close();
});
