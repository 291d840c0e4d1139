"""Background jobs (rq): inbound handling, outbound sending, hold expiry, maintenance.

Jobs are thin: load ids, call a bot or engine flow, commit, enqueue what follows. On the
embedded default the same jobs run inline in the API process.
"""
