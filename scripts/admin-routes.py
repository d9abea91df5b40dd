#!/usr/bin/env python3
"""Writes docs/admin-routes.md: every route of the legacy contract (admin-and-postgres.md section 2) with relay's
status. Run from the project root after changing STATUS below: python3 scripts/admin-routes.py"""
import re

CONTRACT = '../shared/legacy/admin-and-postgres.md'
D, N, X, P = 'done', 'not yet', 'deliberately different', 'partly'
STATUS = {
    ('POST', '/web/auth/login'): (X, '`AdminAuthTest`; session TTL 24 h in seconds, repeated failures → 429 (redis-compat)'),
    ('GET', '/web/auth/user'): (D, '`AdminAuthTest`, `FirstScreenTest`'),
    ('POST', '/web/auth/refresh'): (X, '`AdminAuthTest`; TTL 24 h in seconds'),
    ('POST', '/web/auth/logout'): (D, '`AdminAuthTest`'),
    ('POST', '/web/auth/change-password'): (X, '`AdminAuthTest`; init.json rewritten only if this host has one, the hash keeps a one-year TTL'),
    ('GET', '/web'): (D, '`SpaRoutesTest` (301 to `/admin-next/api-stats`)'),
    ('GET', '/apiStats'): (D, '`SpaRoutesTest` (301 to `/admin-next/api-stats`)'),
    ('GET', '/admin/dashboard'): (D, '`FirstScreenTest` (overview equal to the legacy on fixture 21); Bedrock accounts are not counted yet'),
    ('GET', '/admin/api-keys'): (P, '`ApiKeysAdminTest`, `FirstScreenTest` (items equal to fixture 21); `sortBy=cost`, `models` and `costTimeRange` are not applied yet'),
    ('GET', '/admin/api-keys/cost-sort-status'): (D, "`FirstScreenTest`; reads the legacy job's `cost_rank_meta:*`"),
    ('GET', '/admin/api-keys/used-models'): (D, '`FirstScreenTest`'),
    ('GET', '/admin/api-keys/tags'): (D, '`ApiKeysAdminTest`'),
    ('GET', '/admin/supported-clients'): (D, '`FirstScreenTest`'),
    ('GET', '/admin/accounts/binding-counts'): (D, '`FirstScreenTest`'),
    ('POST', '/admin/api-keys'): (D, '`ApiKeysAdminTest` (fields, TTL, hash map, cost_rank as fixture 22)'),
    ('PUT', '/admin/api-keys/:keyId'): (P, '`ApiKeysAdminTest`; writes only the changed fields (P3); `ownerId` of a portal user is refused (no user portal in relay)'),
    ('PATCH', '/admin/api-keys/:keyId/expiration'): (D, '`ApiKeysAdminTest`'),
    ('DELETE', '/admin/api-keys/:keyId'): (D, '`ApiKeysAdminTest`'),
    ('GET', '/admin/api-keys/deleted'): (D, '`ApiKeysAdminTest`'),
    ('POST', '/admin/api-keys/:keyId/restore'): (X, "`ApiKeysAdminTest`; `restoredBy` is the admin's name (the legacy writes `unknown`)"),
    ('DELETE', '/admin/api-keys/:keyId/permanent'): (P, '`ApiKeysAdminTest`; the key, its hash entries and cost-rank entries go; its `usage:*` statistics stay'),
    ('GET', '/admin/oem-settings'): (D, '`AdminAuthTest` (public), `FirstScreenTest`'),
    ('GET', '/admin/check-updates'): (X, 'relay does not call GitHub: reports its own version as the latest'),
    ('GET', '/admin/claude-console-accounts'): (P, '`ConsoleAccountsAdminTest`, `FirstScreenTest` (usage figures equal to fixture 21); `AccountGroupsAdminTest` (groupInfos, `groupId` filter)'),
    ('POST', '/admin/claude-console-accounts'): (P, '`ConsoleAccountsAdminTest` (fields and AES as fixture 22), `AccountGroupsAdminTest` (`accountType: group` joins the group; a missing or other-platform group → 400 before anything is written, redis-compat 40)'),
    ('PUT', '/admin/claude-console-accounts/:accountId'): (D, '`ConsoleAccountsAdminTest`'),
    ('DELETE', '/admin/claude-console-accounts/:accountId'): (D, '`ConsoleAccountsAdminTest` (bound keys unbound)'),
    ('PUT', '/admin/claude-console-accounts/:accountId/toggle'): (D, '`ConsoleAccountsAdminTest`'),
    ('PUT', '/admin/claude-console-accounts/:accountId/toggle-schedulable'): (D, '`ConsoleAccountsAdminTest`'),
    ('GET', '/admin/claude-console-accounts/:accountId/usage'): (P, '`ConsoleAccountsAdminTest`; quota fields real, usage statistics zeros'),
    ('POST', '/admin/claude-console-accounts/:accountId/reset-usage'): (D, '`ConsoleAccountsAdminTest`'),
    ('GET', '/admin/account-groups'): (D, '`FirstScreenTest`, `AccountGroupsAdminTest` (`platform` filter, newest first)'),
    ('POST', '/admin/account-groups'): (D, '`AccountGroupsAdminTest` (hash, then the `account_groups` index; proxy and proxyPriority checks)'),
    ('GET', '/admin/account-groups/:groupId'): (D, '`AccountGroupsAdminTest`'),
    ('PUT', '/admin/account-groups/:groupId'): (X, '`AccountGroupsAdminTest`; object values are stored as JSON, where the legacy stores `[object Object]` (redis-compat 41)'),
    ('DELETE', '/admin/account-groups/:groupId'): (D, '`AccountGroupsAdminTest` (refused while members or keys use the group)'),
    ('GET', '/admin/account-groups/:groupId/members'): (X, '`AccountGroupsAdminTest`; members as the account lists show them (secrets removed or masked), CCR members included (redis-compat 42)'),
    ('POST', '/admin/claude-accounts'): (P, '`ClaudeAccountsAdminTest` (fields and `salt` cipher as fixture 02; relays through the unified pool at once); no profile fetch at create (`subscriptionInfo` from the body or the OAuth data only)'),
    ('PUT', '/admin/claude-accounts/:accountId'): (P, '`ClaudeAccountsAdminTest`; `extInfo` stored as given (the legacy normalises it), the 10-minute expiry shortcut for a first refresh token is not applied'),
    ('DELETE', '/admin/claude-accounts/:accountId'): (D, '`ClaudeAccountsAdminTest` (bound keys unbound, groups left)'),
    ('PUT', '/admin/claude-accounts/:accountId/toggle-schedulable'): (D, '`ClaudeAccountsAdminTest` (auto-stop markers cleared)'),
    ('POST', '/admin/claude-accounts/:accountId/reset-status'): (P, '`ClaudeAccountsAdminTest`; error fields and counters cleared; the `ratelimit:{id}` key and webhook are not touched'),
    ('GET', '/admin/claude-accounts'): (P, '`FirstScreenTest`, `ClaudeAccountsAdminTest`; the stored fields with secrets removed, groupInfos and `groupId` filter; no session-window usage'),
    ('GET', '/admin/ccr-accounts'): (P, '`FirstScreenTest`, `CcrAccountsAdminTest`; the stored fields with secrets masked, groupInfos and `groupId` filter'),
    ('POST', '/admin/ccr-accounts'): (D, '`CcrAccountsAdminTest` (fields, cipher salt and shared set as fixture 02)'),
    ('PUT', '/admin/ccr-accounts/:accountId'): (D, '`CcrAccountsAdminTest`'),
    ('DELETE', '/admin/ccr-accounts/:accountId'): (D, '`CcrAccountsAdminTest`'),
    ('PUT', '/admin/ccr-accounts/:accountId/toggle'): (D, 'the Console route (`ConsoleAccountsAdminTest`) on CCR accounts'),
    ('PUT', '/admin/ccr-accounts/:accountId/toggle-schedulable'): (D, '`CcrAccountsAdminTest`'),
    ('GET', '/admin/ccr-accounts/:accountId/usage'): (P, "the Console route's answer; usage statistics zeros"),
    ('POST', '/admin/ccr-accounts/:accountId/reset-usage'): (P, "the Console route's reset (`ConsoleAccountsAdminTest`)"),
    ('POST', '/admin/ccr-accounts/:accountId/reset-status'): (D, '`CcrAccountsAdminTest`'),
    ('POST', '/admin/claude-console-accounts/:accountId/reset-status'): (D, 'the CCR route (`CcrAccountsAdminTest`): the same fields'),
    ('GET', '/admin/claude-accounts/usage'): (P, 'answers `{}`: relay fetches no OAuth usage windows'),
    ('GET', '/admin/openai-responses-accounts/auto-recovery-configs'): (P, 'answers `[]`'),
    ('GET', '/api/health'): (D, '`LegacyHealthRouteTest`'),
    ('POST', '/apiStats/api/get-key-id'): (X, '`ApiStatsLookupTest` (answers as fixture 23); 20 failed look-ups per address in 10 minutes → 429 (redis-compat 39)'),
    ('POST', '/admin/api-keys/batch-stats'): (D, '`FirstScreenTest` (figures equal to fixture 21 on its data moved to today); one keyspace SCAN per page instead of one per key'),
    ('POST', '/admin/api-keys/batch-last-usage'): (D, '`FirstScreenTest` (equal to fixture 21)'),
    ('GET', '/admin/usage-trend'): (D, '`FirstScreenTest` (hour granularity equal to fixture 21 for the same query); one SCAN per counter family'),
    ('GET', '/admin/model-stats'): (D, '`FirstScreenTest` (equal to fixture 21 for the same query)'),
    ('GET', '/admin/api-keys-usage-trend'): (D, '`FirstScreenTest` (equal to fixture 21 for the same query); the 15 s in-process cache is not kept'),
    ('GET', '/admin/account-usage-trend'): (D, '`FirstScreenTest` (equal to fixture 21 for the same query)'),
    ('GET', '/admin/usage-costs'): (D, '`FirstScreenTest` (totals and per-model costs equal to fixture 21 for today and all)'),
    ('GET', '/metrics'): (X, 'Prometheus metrics at `/q/metrics`'),
}
for platform in ['gemini-accounts', 'gemini-api-accounts', 'openai-accounts',
                 'openai-responses-accounts', 'azure-openai-accounts', 'droid-accounts']:
    STATUS[('GET', '/admin/' + platform)] = (P, '`FirstScreenTest`, `AccountGroupsAdminTest`; the stored fields with secrets removed or masked, usage figures as the legacy reads them, groupInfos and the `groupId` filter')
STATUS[('GET', '/admin/bedrock-accounts')] = (P, 'answers `[]`: Bedrock accounts (JSON strings) are not listed yet')
STAYS = {'2.19': 'user portal: stays on the legacy (issue 16 leaves it out)',
         '2.20': 'webhooks: stay on the legacy (issue 16 leaves them out)'}


def main():
    lines = open(CONTRACT).read().split('\n')
    titles, rows, section = {}, [], None
    for line in lines:
        m = re.match(r'^### (2\.\d+) (.*)', line)
        if m:
            section = m.group(1)
            titles[section] = re.sub(r'\s*\(.*', '', m.group(2))
        m = re.match(r'^\| (★ )?(GET|POST|PUT|DELETE|PATCH) \| `([^`]+)`', line)
        if m and section:
            rows.append((section, bool(m.group(1)), m.group(2), m.group(3)))
    body, counts, last = [], {}, None
    for section, star, method, path in rows:
        if section != last:
            body += ['', '## %s %s' % (section, titles[section]), '', '| ★ | Method | Path | relay | Note |',
                     '|---|---|---|---|---|']
            last = section
        status, note = STATUS.get((method, path), (None, ''))
        if status is None:
            if section in STAYS:
                status, note = X, STAYS[section]
            elif 'fuel-pack' in path:
                status, note = X, 'fuel packs stay on the legacy (issue 16 leaves them out)'
            else:
                status = N
        counts[status] = counts.get(status, 0) + 1
        body.append('| %s | %s | `%s` | %s | %s |' % ('★' if star else '', method, path, status, note))
    head = [
        '# Admin routes: what relay answers', '',
        "Every route of the legacy's admin, auth, user, webhook, public-statistics and health surface, as listed in",
        '`../shared/legacy/admin-and-postgres.md` §2 (%d table rows: the 219 routes of §2.24 plus the `/web` and `/apiStats`' % len(rows),
        "redirects, the fork's `/health` and `/admin/check-updates` listed twice). **done**: same status, envelope and fields as the legacy",
        '(test named); **partly**: answered, with the gap said; **deliberately different**: see the note and',
        '`docs/redis-compat.md`; **not yet**: relay answers 404 after the session check, so nginx must send that path',
        'to the legacy.', '',
        'Every `/admin/*` path except `GET /admin/oem-settings` is refused without a valid session, also paths relay',
        'does not serve (`AdminRoutesClosedTest` walks every registered route). relay also serves',
        '`POST /admin/api-keys/:keyId/regenerate` (a new raw key, the old one stops working; the legacy has no such route),',
        "and §3.2's static routes: `GET /` (302) and the dashboard build of `RELAY_ADMIN_SPA_DIR` at `/admin-next/` with",
        "history fallback, immutable asset caching and the legacy's path checks (`SpaRoutesTest`; the index carries the",
        'same headers as every other answer, where the legacy leaves out its security headers).',
        'Generated from the contract by `scripts/admin-routes.py`; change the status table there.', '',
        'Totals: ' + ', '.join('%s %d' % (k, v) for k, v in sorted(counts.items())) + ' (of %d rows).' % len(rows),
    ]
    with open('docs/admin-routes.md', 'w') as out:
        out.write('\n'.join(head + body) + '\n')


if __name__ == '__main__':
    main()
