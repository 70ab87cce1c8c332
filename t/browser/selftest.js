'use strict';
// selftest.js BASE -- lib.js's checks can pass and can fail: a page that
// passes every check, and one that breaks each of them on purpose, both
// served by nginx with the site's strict Content-Security-Policy.
const fs = require('fs');
const lib = require('./lib');

const base = process.argv[2];

function has(list, re) {
	return list.some((s) => re.test(s));
}

lib.run(async (tap) => {
	if (!base)
		tap.bail('usage: selftest.js BASE-URL');
	const br = await lib.launch();
	const vs = { 375: await br.viewer(375), 1280: await br.viewer(1280) };

	for (const w of [375, 1280]) {
		const v = vs[w];
		const r = await v.visit(base + '/good.html');
		tap.is(r.status, 200, `good page at ${w} px: 200`);
		tap.ok(/default-src 'none'/.test(r.headers['content-security-policy'] || ''),
			`good page at ${w} px: served with the strict CSP`);
		tap.none(r.consoleErrors, `good page at ${w} px: no console error`);
		tap.none(r.pageErrors, `good page at ${w} px: no page error`);
		tap.none(r.csp, `good page at ${w} px: no CSP violation`);
		tap.none(r.badResponses, `good page at ${w} px: every request answered`);
		tap.ok(r.scroll.ok, `good page at ${w} px: no horizontal scroll`, r.scroll);
		for (const scheme of ['light', 'dark'])
			tap.none(await v.axe(scheme), `good page at ${w} px, ${scheme}: no WCAG 2 A/AA violation`);
		tap.none(v.cspEvents.concat(v.cspConsole), `good page at ${w} px: running axe caused no CSP violation`);
		const shot = await v.screenshot(`selftest-good-${w}`);
		tap.ok(fs.statSync(shot).size > 1000, `good page at ${w} px: screenshot written (${shot})`);
	}
	tap.none(await br.brokenLinks(vs[375]), 'good page: every same-origin link resolves');

	const v = vs[375];
	const r = await v.visit(base + '/bad.html');
	tap.ok(has(r.csp, /style-src/), 'bad page: the style= attribute is a CSP violation', r.csp);
	tap.ok(has(r.csp, /script-src/), 'bad page: the inline script is a CSP violation', r.csp);
	tap.ok(v.cspEvents.length >= 2, 'bad page: both came as securitypolicyviolation events', v.cspEvents);
	tap.ok(has(r.consoleErrors, /boom from bad\.js/), 'bad page: console.error is collected', r.consoleErrors);
	tap.ok(has(r.pageErrors, /uncaught in bad\.js/), 'bad page: an uncaught exception is collected', r.pageErrors);
	tap.ok(has(r.badResponses, /^404 .*missing\.css$/), 'bad page: a missing stylesheet is a bad response', r.badResponses);
	tap.ok(!r.scroll.ok && r.scroll.scrollWidth > 1000, 'bad page: the horizontal scroll is seen', r.scroll);
	tap.ok(has(r.scroll.sticksOut, /div\.wide/), 'bad page: the wide element is named', r.scroll.sticksOut);
	const light = await v.axe('light');
	const dark = await v.axe('dark');
	tap.ok(has(light, /^image-alt/), 'bad page: axe finds the image without alt', light);
	tap.ok(has(light, /^html-has-lang/), 'bad page: axe finds the missing lang', light);
	tap.ok(has(light, /^color-contrast.*\.faint/), 'bad page, light: axe finds the grey on grey', light);
	tap.ok(!has(light, /dark-faint/), 'bad page, light: the dark-only problem is not reported', light);
	tap.ok(has(dark, /^color-contrast.*\.dark-faint/), 'bad page, dark: axe finds the dark-only problem', dark);
	tap.ok(has(await br.brokenLinks(v), /^404 .*missing\.html$/), 'bad page: the link to nothing is broken');

	// the language link works with JavaScript off
	const nojs = await br.viewer(375, { javaScriptEnabled: false });
	await nojs.visit(base + '/good.html');
	await nojs.page.click('nav a[hreflang="ko"]');
	await nojs.page.waitForLoadState('load');
	tap.is(await nojs.page.evaluate(() => document.documentElement.lang), 'ko',
		'without JavaScript a language link leads to the Korean page');
	tap.is(await nojs.page.evaluate(() => document.documentElement.classList.contains('js')), false,
		'and no script ran there');
	await br.close();
});
