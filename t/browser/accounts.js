'use strict';
// accounts.js BASE GITHUB USER -- an account's life in the browser (see
// t/0820-browser-accounts.sh).  BASE is the site, GITHUB the stand-in
// provider (which approves at once and sends the browser back), USER the
// login it signs in.  Calls a script would make (verify, upload, the
// public API) go from here with fetch; the ranking job runs from here too.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const lib = require('./lib');

const [base, github, user] = process.argv.slice(2);
const top = process.env.top_builddir;
const KEY_RE = /modu_arena_[0-9a-f]{8}_[0-9a-f]{32}/;

async function get(p, headers = {}) {
	const r = await fetch(base + p, { headers, redirect: 'manual' });
	return { status: r.status, location: r.headers.get('location'), text: await r.text() };
}

// one session of `tokens` input tokens ended a few minutes ago, signed
// with the key as the client signs its uploads
async function upload(key, tokens) {
	const ended = new Date(Date.now() - 5 * 60 * 1000);
	ended.setUTCSeconds(0, 0);
	const body = JSON.stringify({
		sessionHash: require('crypto').createHash('sha256').update(`${user} ${tokens}`).digest('hex'),
		endedAt: ended.toISOString().replace(/\.000Z$/, 'Z'),
		durationSeconds: 60, inputTokens: tokens, outputTokens: 500,
	});
	const ts = String(Math.floor(Date.now() / 1000));
	const sig = execFileSync(path.join(top, 't', 'arena-sign'), [key, ts], { input: body }).toString().trim();
	const r = await fetch(base + '/api/v1/sessions', {
		method: 'POST', body, headers: {
			'Content-Type': 'application/json', 'X-API-Key': key,
			'X-Timestamp': ts, 'X-Signature': sig,
		},
	});
	return r.status;
}

function rank() {
	execFileSync(path.join(top, 'cron', 'calculate-rankings'), { stdio: ['ignore', 'ignore', 'inherit'] });
}

// the usernames on the all-time board; `limit` varies so that no answer
// comes out of nginx's micro-cache
async function boardNames(limit) {
	const r = await get(`/api/leaderboard?period=all_time&limit=${limit}`);
	return JSON.parse(r.text).data.map((e) => e.username);
}

async function sessionCookie(v) {
	const c = (await v.ctx.cookies(base)).find((k) => k.name === '__Host-session');
	return c ? c.value : null;
}

// clicks sel and waits until the tab has loaded a page at `want` (a path,
// after any redirects); resolves to the status of the last response
async function submit(v, sel, want) {
	const [resp] = await Promise.all([
		v.page.waitForNavigation({ url: base + want, waitUntil: 'load' }),
		v.page.click(sel),
	]);
	return resp ? resp.status() : 0;
}

async function text(v, sel) {
	const el = await v.page.$(sel);
	return el ? (await el.textContent()).replace(/\s+/g, ' ').trim() : '';
}

// sign in from the header of the board: /dashboard, the provider and back
async function signIn(tap, v, what) {
	await v.visit(base + '/');
	const st = await submit(v, 'header a[href="/dashboard"]', '/dashboard');
	tap.is(st, 200, `${what}: the header's link through the provider ends on /dashboard`);
	tap.ok((await text(v, 'body')).includes(`Signed in as ${user}`), `${what}: signed in as ${user}`);
	const sid = await sessionCookie(v);
	tap.ok(sid && sid.length === 43, `${what}: the browser holds the __Host-session cookie`, String(sid));
	return sid;
}

// the dashboard as loaded: what the page checks of pages.js ask
async function checkDashboard(tap, v, width) {
	const what = `/dashboard at ${width} px`;
	await v.page.setViewportSize({ width, height: 800 });
	const r = await v.visit(base + '/dashboard');
	tap.is(r.status, 200, `${what}: 200`);
	tap.is(r.headers['cache-control'], 'private, no-store', `${what}: private, no-store`);
	tap.none(r.consoleErrors, `${what}: no console error`);
	tap.none(r.pageErrors, `${what}: no uncaught script error`);
	tap.none(r.csp, `${what}: no CSP violation`);
	tap.none(r.badResponses, `${what}: every same-origin request answered`);
	tap.ok(r.scroll.ok, `${what}: no horizontal page scroll`, r.scroll);
	for (const scheme of ['light', 'dark']) {
		tap.none(await v.axe(scheme), `${what}, ${scheme}: axe finds no WCAG 2 A/AA violation`);
		await v.screenshot(`dashboard-en-${width}-${scheme}`);
	}
}

// what went wrong in the tab since the last visit (form answers included)
function quiet(tap, v, what) {
	const csp = v.cspEvents.map((e) => `${e.directive} blocked ${e.blocked || '(inline)'}`).concat(v.cspConsole);
	tap.none(v.consoleErrors.concat(v.pageErrors), `${what}: no console or script error`);
	tap.none(csp, `${what}: no CSP violation`);
}

async function privacy(tap, v) {
	await v.visit(base + '/dashboard');
	await v.page.check('#privacy');
	tap.is(await submit(v, 'form.settings button', '/dashboard/settings'), 200, 'the settings form is sent');
	tap.ok((await text(v, 'main')).includes('Settings saved.'), 'the page says the settings were saved');
	tap.ok(await v.page.$('main p.private'), 'and that the profile is private');
	tap.ok(await v.page.isChecked('#privacy'), 'the box stays checked');
	tap.is((await get(`/api/users/${user}`)).status, 404, 'others get no profile while private');
	quiet(tap, v, 'the settings answer');
	await v.page.uncheck('#privacy');
	await submit(v, 'form.settings button', '/dashboard/settings');
	tap.ok(!(await v.page.isChecked('#privacy')) && !(await v.page.$('main p.private')),
		'privacy switched off again by the form');
}

// creates a key on the page; resolves to the key as the page shows it
async function createKey(tap, v) {
	await v.visit(base + '/dashboard');
	tap.is(await submit(v, 'form.create button', '/dashboard/keys'), 201, 'a key is created by the form: 201');
	const shown = await text(v, '.newkey');
	const m = shown.match(KEY_RE);
	tap.ok(m, 'the page shows the new key', shown);
	const key = m ? m[0] : '';
	tap.ok(shown.includes(`modu-arena install --api-key ${key}`), 'with the ready install line');
	quiet(tap, v, 'the new key\'s page');
	for (const scheme of ['light', 'dark'])
		tap.none(await v.axe(scheme), `the new key's page, ${scheme}: axe finds no WCAG 2 A/AA violation`);
	await v.screenshot('dashboard-newkey-en-1280-light');
	return key;
}

async function useAndRevoke(tap, v, key) {
	tap.is((await get('/api/v1/verify', { 'X-API-Key': key })).status, 200, 'GET /api/v1/verify with the key: 200');
	tap.is(await upload(key, 765432), 201, 'a session is uploaded with it');
	rank();
	tap.ok((await boardNames(100)).includes(user), 'the ranking lists the account');

	await v.visit(base + '/dashboard');
	tap.ok(!(await v.page.content()).includes(key), 'the key is not shown again');
	const prefix = key.slice(0, 19);
	const row = `tr:has(th code:text-is("${prefix}")) form button`;
	tap.ok(await v.page.$(row), 'the key\'s row has a revoke button');
	tap.is(await submit(v, row, '/dashboard/revoke'), 200, 'revoked by the form');
	tap.ok((await text(v, 'main')).includes(`Key ${prefix} revoked.`), 'the page says so');
	tap.is((await get('/api/v1/verify', { 'X-API-Key': key })).status, 401, 'verify with the revoked key: 401');
}

async function exportData(tap, v) {
	await v.visit(base + '/dashboard');
	const [dl] = await Promise.all([
		v.page.waitForEvent('download'),
		v.page.click('a[href="/api/me/export"]'),
	]);
	tap.is(dl.suggestedFilename(), `modu-arena-${user}.json`, 'the export downloads as a file');
	let data = null;
	try {
		data = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
	} catch (e) {
		tap.diag(String(e));
	}
	tap.ok(data && typeof data === 'object', 'it is JSON');
	tap.is(data && data.user && data.user.username, user, 'with the username');
	tap.ok(data && Array.isArray(data.apiKeys) && data.apiKeys.length === 1, 'and the (revoked) key',
		data && data.apiKeys);
}

async function signOut(tap, v, sid) {
	await v.visit(base + '/dashboard');
	const st = await submit(v, 'form[action="/auth/logout"]:not(:has([name="everywhere"])) button', '/');
	tap.is(st, 200, 'sign out: back on the board');
	tap.is(await sessionCookie(v), null, 'the browser no longer holds the session cookie');
	const r = await get('/dashboard', { Cookie: `__Host-session=${sid}` });
	tap.is(r.status, 303, 'the old session cookie no longer opens /dashboard');
	tap.is(r.location, '/auth/github?next=/dashboard', 'it is sent to sign in');
}

async function deleteAccount(tap, v) {
	await v.page.fill('#confirm', user);
	tap.is(await submit(v, 'form.delete button', '/dashboard/delete'), 200, 'the account is deleted by the form');
	tap.ok((await text(v, 'main')).includes('Your account and all its data were deleted.'),
		'the page says the account was deleted');
	quiet(tap, v, 'the deletion\'s page');
	tap.is(await sessionCookie(v), null, 'the session cookie is gone');
	tap.is((await get(`/api/users/${user}`)).status, 404, `/api/users/${user}: 404`);
	rank();
	tap.ok(!(await boardNames(99)).includes(user), 'the next ranking no longer lists the account');
}

lib.run(async (tap) => {
	if (!base || !github || !user || !top)
		tap.bail('usage: accounts.js BASE GITHUB USER (with top_builddir set)');
	const br = await lib.launch();
	const v = await br.viewer(1280, { origins: [github] });

	const sid = await signIn(tap, v, 'sign-in');
	await privacy(tap, v);
	const key = await createKey(tap, v);
	await useAndRevoke(tap, v, key);
	for (const width of [1280, 375])
		await checkDashboard(tap, v, width);
	await v.page.setViewportSize({ width: 1280, height: 800 });
	await exportData(tap, v);
	await signOut(tap, v, sid);

	const sid2 = await signIn(tap, v, 'sign-in again');
	tap.ok(sid2 !== sid, 'a new session id');
	await deleteAccount(tap, v);
	await br.close();
});
