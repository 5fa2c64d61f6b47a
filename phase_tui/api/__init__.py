"""The read-only JSON API of a studio (`phase-os serve`): its samples, bounces, memos, form
maps, slices and sessions, their tags, and the audio files their records name.

- `errors`: the errors a request can meet, each an HTTP status and one sentence
- `params`: the query string of a listing, checked (`ListQuery`)
- `queries`: the `Catalogue`, items of each kind cached per Store revision; paging, filters
- `routes`: the aiohttp handlers (Store reads on the loop's thread pool)
- `server`: `make_app` (auth, JSON errors) and `serve`
"""
