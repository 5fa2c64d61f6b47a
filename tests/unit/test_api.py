"""The read-only JSON API (`phase_tui.api`) through a real server on 127.0.0.1 and a real
aiohttp client: listings, paging, filters, items, errors, audio ranges, path traversal,
the token, concurrency, `serve` itself and the `[api]` config checks."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from yarl import URL

from phase_tui.api.server import make_app, serve
from phase_tui.cli import cli
from phase_tui.config import ConfigError, load_config_text
from phase_tui.config.settings import ApiSettings
from phase_tui.context import StudioContext
from phase_tui.tags import SAMPLE_TAGS
from tests.helpers import make_studio

AUDIO = bytes(range(256)) * 8  # 2048 bytes, every range distinct
KICK, SNARE, PAD, NOISE = (f"01SAMP1E000000000000000{n}" for n in "ABCD")
NIGHT, DAY = "01B0UNCE00000000000000000A", "01B0UNCE00000000000000000B"
MEMO, FORM, SLICE = (
    "01MEM0000000000000000000AA",
    "01F0RM00000000000000000001",
    "01S11CE0000000000000000001",
)


def studio_with_items(root: Path, outside: Path) -> StudioContext:
    """A studio with known samples, bounces, a memo, a form and a slice (files written)."""
    context = make_studio(root)
    store = context.store
    (root / "crates" / "drums").mkdir(parents=True, exist_ok=True)
    (root / "crates" / "drums" / "kick 120bpm Am.wav").write_bytes(AUDIO)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "snare.flac").write_bytes(AUDIO[:1000])
    (root / "bounces" / "night v1.wav").parent.mkdir(parents=True, exist_ok=True)
    (root / "bounces" / "night v1.wav").write_bytes(AUDIO)
    (root / "bounces" / "night v1.wav.gz").write_bytes(gzip.compress(b"not the named file"))
    (root / "memos").mkdir(exist_ok=True)
    (root / "memos" / "idea.wav").write_bytes(AUDIO[:300])
    store.insert_many(
        "samples",
        [
            {"id": KICK, "name": "kick 120bpm Am.wav", "path": "crates/drums/kick 120bpm Am.wav",
             "crate": "drums", "duration_s": 1.5, "bpm": 120.0, "key": "A minor", "status": "ok"},
            {"id": SNARE, "name": "snare.flac", "path": str(outside / "snare.flac"),
             "crate": "drums", "duration_s": 0.5, "bpm": None, "key": None, "status": "ok"},
            {"id": PAD, "name": "pad 90bpm.wav", "path": "crates/synths/pad 90bpm.wav",
             "crate": "synths", "duration_s": 12.0, "bpm": 90.0, "key": "C major", "status": "ok"},
            {"id": NOISE, "name": "vinyl noise.wav", "path": "crates/foley/vinyl noise.wav",
             "crate": "foley", "duration_s": None, "bpm": None, "key": None, "status": "ok"},
        ],
    )  # fmt: skip
    store.insert(SAMPLE_TAGS, {"id": KICK, "tags": ["dark", "punchy"]})
    store.insert(SAMPLE_TAGS, {"id": PAD, "tags": ["dark"]})
    store.insert_many(
        "bounces",
        [
            {"id": NIGHT, "name": "night v1.wav", "path": "bounces/night v1.wav",
             "mtime": 1_700_000_000.0, "duration_s": 180.0, "tags": ["dark"]},
            {"id": DAY, "name": "day.wav", "path": "bounces/day.wav",
             "mtime": 1_700_100_000.0, "duration_s": 200.0, "tags": []},
        ],
    )  # fmt: skip
    store.insert("memos", {"id": MEMO, "name": "idea", "path": str(root / "memos" / "idea.wav"),
                           "started_at": 1_700_050_000.0, "duration_s": 12.0,
                           "tags": ["idea", "dark"]})  # fmt: skip
    store.insert("forms", {"id": FORM, "track": "night drive", "saved_at": 1_700_020_000.0,
                           "path": "forms/night-drive/x.json", "tags": ["dark"]})  # fmt: skip
    store.insert("slices", {"id": SLICE, "name": "cut.wav", "path": str(outside / "snare.flac"),
                            "duration_s": 0.2, "tags": []})  # fmt: skip
    return context


@pytest.fixture
def context(tmp_path: Path) -> StudioContext:
    return studio_with_items(tmp_path / "studio", tmp_path / "elsewhere")


async def start(context: StudioContext, settings: ApiSettings | None = None) -> TestClient:
    client = TestClient(TestServer(make_app(context, settings or ApiSettings()), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def client(context: StudioContext) -> AsyncIterator[TestClient]:
    started = await start(context)
    yield started
    await started.close()


async def get_json(client: TestClient, path: str, status: int = 200, **kw: Any) -> Any:
    response = await client.get(path, **kw)
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return await response.json()


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


# ---------------------------------------------------------------------- listings
async def test_index_names_the_kinds_and_links(client: TestClient) -> None:
    body = await get_json(client, "/api")
    assert body["version"] and "samples" in body["kinds"] and "forms" in body["kinds"]
    assert body["links"]["samples"] == "/api/samples" and body["links"]["tags"] == "/api/tags"


async def test_samples_page_by_name_with_totals_and_links(client: TestClient) -> None:
    body = await get_json(client, "/api/samples?per_page=2")
    assert (body["total"], body["page"], body["per_page"]) == (4, 1, 2)
    assert ids(body) == [KICK, PAD]
    assert body["next"] == "/api/samples?per_page=2&page=2" and body["prev"] is None
    second = await get_json(client, body["next"])
    assert ids(second) == [SNARE, NOISE] and second["next"] is None
    assert second["prev"] == "/api/samples?per_page=2&page=1"
    beyond = await get_json(client, "/api/samples?page=9")
    assert beyond["total"] == 4 and beyond["items"] == [] and beyond["next"] is None


async def test_sample_items_carry_tags_links_and_the_record(client: TestClient) -> None:
    kick = (await get_json(client, "/api/samples?q=kick"))["items"][0]
    assert kick["kind"] == "samples" and kick["tags"] == ["dark", "punchy"]
    assert kick["url"] == f"/api/samples/{KICK}" and kick["audio"] == f"/api/samples/{KICK}/audio"
    assert kick["crate"] == "drums" and kick["bpm"] == 120.0


async def test_sample_filters(client: TestClient) -> None:
    assert ids(await get_json(client, "/api/samples?crate=DRUMS")) == [KICK, SNARE]
    assert ids(await get_json(client, "/api/samples?q=bpm")) == [KICK, PAD]
    assert ids(await get_json(client, "/api/samples?q=90bpm%20pad")) == [PAD]
    assert ids(await get_json(client, "/api/samples?min_s=1&max_s=12")) == [KICK, PAD]
    assert ids(await get_json(client, "/api/samples?max_s=1")) == [SNARE]
    assert ids(await get_json(client, "/api/samples?bpm_min=100")) == [KICK]
    assert ids(await get_json(client, "/api/samples?bpm_min=80&bpm_max=100")) == [PAD]
    assert ids(await get_json(client, "/api/samples?key=a%20MINOR")) == [KICK]
    assert ids(await get_json(client, "/api/samples?tag=dark")) == [KICK, PAD]
    assert ids(await get_json(client, "/api/samples?tag=dark&tag=Punchy")) == [KICK]
    assert ids(await get_json(client, "/api/samples?tag=dark&tag=none")) == []


async def test_sample_sorts(client: TestClient) -> None:
    by_length = await get_json(client, "/api/samples?sort=duration")
    assert ids(by_length) == [SNARE, KICK, PAD, NOISE]  # no length: last
    longest = await get_json(client, "/api/samples?sort=duration&order=desc")
    assert ids(longest) == [PAD, KICK, SNARE, NOISE]
    assert ids(await get_json(client, "/api/samples?order=desc")) == [NOISE, SNARE, PAD, KICK]


async def test_bounces_memos_forms_and_slices(client: TestClient) -> None:
    assert ids(await get_json(client, "/api/bounces")) == [DAY, NIGHT]  # newest first
    assert ids(await get_json(client, "/api/bounces?order=asc")) == [NIGHT, DAY]
    assert ids(await get_json(client, "/api/bounces?sort=name")) == [DAY, NIGHT]
    assert ids(await get_json(client, "/api/bounces?tag=dark")) == [NIGHT]
    assert ids(await get_json(client, "/api/bounces?q=night")) == [NIGHT]
    memos = await get_json(client, "/api/memos?tag=idea")
    assert ids(memos) == [MEMO] and memos["items"][0]["name"].startswith("memo ")
    forms = await get_json(client, "/api/forms")
    assert ids(forms) == [FORM] and forms["items"][0]["name"] == "night drive@1"
    assert forms["items"][0]["audio"] is None
    assert ids(await get_json(client, "/api/forms?q=drive%40")) == [FORM]
    assert ids(await get_json(client, "/api/slices")) == [SLICE]


async def test_tags_and_items_of_a_tag(client: TestClient) -> None:
    body = await get_json(client, "/api/tags")
    rows = [(row["tag"], row["count"]) for row in body["items"]]
    assert rows == [("dark", 5), ("idea", 1), ("punchy", 1)] and body["total"] == 3
    assert body["items"][0]["url"] == "/api/tags/dark"
    named = await get_json(client, "/api/tags?sort=name&order=desc&q=i")
    assert [row["tag"] for row in named["items"]] == ["idea"]
    dark = await get_json(client, "/api/tags/Dark")
    assert dark["total"] == 5
    assert {(item["kind"], item["id"]) for item in dark["items"]} == {
        ("samples", KICK), ("samples", PAD), ("bounces", NIGHT), ("memos", MEMO), ("forms", FORM)
    }  # fmt: skip
    paged = await get_json(client, "/api/tags/dark?sort=name&per_page=2&page=2")
    assert [item["name"] for item in paged["items"]] == ["night drive@1", "night v1.wav"]
    both = await get_json(client, "/api/tags/dark?tag=idea")
    assert ids(both) == [MEMO]
    missing = await get_json(client, "/api/tags/nobody", 404)
    assert missing == {"error": "no item carries the tag #nobody"}


async def test_a_listing_follows_store_changes(client: TestClient, context: StudioContext) -> None:
    assert (await get_json(client, "/api/bounces"))["total"] == 2
    context.store.insert("bounces", {"name": "late.wav", "mtime": 1_800_000_000.0})
    body = await get_json(client, "/api/bounces")
    assert body["total"] == 3 and body["items"][0]["name"] == "late.wav"
    context.store.modify(SAMPLE_TAGS, SNARE, lambda _: {"tags": ["dark"]}, create=True)
    assert ids(await get_json(client, "/api/samples?tag=dark")) == [KICK, PAD, SNARE]


# ---------------------------------------------------------------------- one item, errors
async def test_one_item_and_404s(client: TestClient) -> None:
    night = await get_json(client, f"/api/bounces/{NIGHT}")
    assert night["name"] == "night v1.wav" and night["tags"] == ["dark"]
    assert (await get_json(client, f"/api/samples/{PAD}"))["key"] == "C major"
    gone = await get_json(client, "/api/bounces/01NOTHERE0000000000000000A", 404)
    assert gone == {"error": "no bounce with id 01NOTHERE0000000000000000A"}
    assert "no kind 'widgets'" in (await get_json(client, "/api/widgets", 404))["error"]
    assert "no kind 'widgets'" in (await get_json(client, f"/api/widgets/{NIGHT}", 404))["error"]
    assert (await get_json(client, "/nowhere", 404))[
        "error"
    ] == "nothing at /nowhere; the index is /api"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "`page` must be a whole number >= 1, not 'abc'"),
        ("page=0", "`page` must be a whole number >= 1, not 0"),
        ("page=1.5", "`page` must be a whole number >= 1, not '1.5'"),
        ("per_page=501", "`per_page` must be a whole number from 1 to 500, not 501"),
        ("per_page=0", "`per_page` must be a whole number from 1 to 500, not 0"),
        ("sort=size", "`sort` must be one of name, date, duration, not 'size'"),
        ("order=up", "`order` must be asc or desc, not 'up'"),
        ("min_s=5&max_s=2", "`min_s` (5) is larger than `max_s` (2): nothing can match"),
        (
            "bpm_min=130&bpm_max=120",
            "`bpm_min` (130) is larger than `bpm_max` (120): nothing can match",
        ),
        ("min_s=long", "`min_s` must be a number >= 0, not 'long'"),
        ("max_s=nan", "`max_s` must be a number >= 0, not 'nan'"),
        ("bpm_max=-1", "`bpm_max` must be a number >= 0, not '-1'"),
        ("page=1&page=2", "`page` is given 2 times; give it once"),
        ("tag=%23%23", "`tag`: '##' is not a tag: a tag needs at least one letter or digit"),
        (
            "colour=red",
            "unknown parameter `colour` (known: page, per_page, q, sort, order, tag, "
            "crate, min_s, max_s, bpm_min, bpm_max, key)",
        ),  # fmt: skip
    ],
)
async def test_bad_sample_parameters_are_400(client: TestClient, query: str, message: str) -> None:
    assert await get_json(client, f"/api/samples?{query}", 400) == {"error": message}


async def test_bad_parameters_of_other_listings_are_400(client: TestClient) -> None:
    body = await get_json(client, "/api/bounces?crate=drums", 400)
    assert body == {"error": "`crate` filters samples only (/api/samples)"}
    body = await get_json(client, "/api/memos?sort=count", 400)
    assert body == {"error": "`sort` must be one of date, name, duration, not 'count'"}
    body = await get_json(client, "/api/tags?sort=duration", 400)
    assert body == {"error": "`sort` must be one of count, name, not 'duration'"}
    body = await get_json(client, "/api/tags?tag=dark", 400)
    assert body == {"error": "`tag` filters items, not the list of tags"}
    body = await get_json(client, "/api/tags/%23%23", 400)
    assert body == {"error": "'##' is not a tag: a tag needs at least one letter or digit"}


async def test_head_is_answered_and_other_methods_are_405(client: TestClient) -> None:
    head = await client.head("/api/samples")
    assert head.status == 200 and head.content_type == "application/json"
    assert await head.read() == b""
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = await client.request(method, f"/api/samples/{KICK}")
        assert response.status == 405
        assert "GET" in response.headers["Allow"]
        body = await response.json()
        assert body == {"error": f"{method} is not allowed: the API is read-only (GET and HEAD)"}


# ---------------------------------------------------------------------- audio
async def test_audio_in_full_and_by_range(client: TestClient) -> None:
    full = await client.get(f"/api/bounces/{NIGHT}/audio")
    assert full.status == 200 and full.content_type == "audio/wav"
    assert await full.read() == AUDIO  # never the .gz beside it, though gzip is accepted
    assert full.headers.get("Content-Encoding") is None
    part = await client.get(f"/api/samples/{KICK}/audio", headers={"Range": "bytes=100-199"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(AUDIO)}"
    assert await part.read() == AUDIO[100:200]
    outside = await client.get(f"/api/samples/{SNARE}/audio")
    assert outside.content_type == "audio/flac" and await outside.read() == AUDIO[:1000]
    memo = await client.get(f"/api/memos/{MEMO}/audio", headers={"Range": "bytes=-50"})
    assert memo.status == 206 and await memo.read() == AUDIO[250:300]
    late = await client.get(f"/api/memos/{MEMO}/audio", headers={"Range": "bytes=5000-"})
    assert late.status == 416
    head = await client.head(f"/api/slices/{SLICE}/audio")
    assert head.status == 200 and head.headers["Content-Length"] == "1000"


async def test_audio_of_what_has_none_is_404(client: TestClient) -> None:
    gone = await get_json(client, f"/api/samples/{PAD}/audio", 404)
    assert gone == {
        "error": "the file of sample " + PAD + " is missing: crates/synths/pad 90bpm.wav"
    }
    forms = await get_json(client, f"/api/forms/{FORM}/audio", 404)
    assert forms["error"].startswith("forms have no audio")
    await get_json(client, "/api/samples/01NOTHERE0000000000000000A/audio", 404)


@pytest.mark.parametrize(
    "raw",
    [
        "/api/samples/..%2F..%2F..%2F..%2Fetc%2Fpasswd/audio",
        "/api/samples/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd/audio",
        "/api/samples/%252e%252e%252fetc%252fpasswd/audio",
        "/api/samples/%2Fetc%2Fpasswd/audio",
        "/api/samples/..%5C..%5Cetc%5Cpasswd/audio",
        "/api/samples/../../../../etc/passwd/audio",
        "/api/samples/%2e%2e/%2e%2e/%2e%2e/etc/passwd/audio",
        "/api/bounces/..%2Fnight%20v1.wav/audio",
        "/api/samples/" + KICK + "%2F..%2F..%2Fphase_os.toml/audio",
    ],
)
async def test_path_traversal_is_refused(client: TestClient, raw: str) -> None:
    url = URL(str(client.make_url("/")).rstrip("/") + raw, encoded=True)
    async with client.session.get(url) as response:
        assert response.status in (400, 404)
        body = await response.read()
    assert b"root:" not in body and b"[app]" not in body


# ---------------------------------------------------------------------- token, load
async def test_a_configured_token_is_required(context: StudioContext) -> None:
    client = await start(context, ApiSettings(token="s3cret"))
    try:
        bare = await get_json(client, "/api/samples", 401)
        assert bare == {"error": "this API needs the header `Authorization: Bearer <token>`"}
        wrong = await client.get("/api", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await client.post("/api")).status == 401
        good = {"Authorization": "Bearer s3cret"}
        assert (await get_json(client, "/api/samples", headers=good))["total"] == 4
        audio = await client.get(f"/api/bounces/{NIGHT}/audio", headers=good)
        assert audio.status == 200 and await audio.read() == AUDIO
    finally:
        await client.close()


async def test_loopback_without_token_is_open(client: TestClient) -> None:
    assert (await client.get("/api")).status == 200


async def test_a_hundred_concurrent_requests(client: TestClient, context: StudioContext) -> None:
    context.store.insert_many(
        "samples", [{"name": f"loop {n:03d}.wav", "duration_s": float(n)} for n in range(200)]
    )
    pages = [1 + n % 11 for n in range(100)]
    bodies = await asyncio.gather(
        *(
            get_json(client, f"/api/samples?q=loop&sort=duration&per_page=20&page={p}")
            for p in pages
        )
    )
    for page, body in zip(pages, bodies, strict=True):
        expected = [f"loop {n:03d}.wav" for n in range((page - 1) * 20, min(page * 20, 200))]
        assert body["total"] == 200 and [item["name"] for item in body["items"]] == expected


async def test_serve_listens_until_stopped(context: StudioContext) -> None:
    urls: list[str] = []
    stop = asyncio.Event()
    task = asyncio.create_task(serve(context, ApiSettings(port=0), ready=urls.append, stop=stop))
    for _ in range(200):
        if urls or task.done():
            break
        await asyncio.sleep(0.01)
    assert urls and urls[0].startswith("http://127.0.0.1:") and urls[0].endswith("/api")
    async with ClientSession() as session, session.get(urls[0] + "/bounces") as response:
        assert response.status == 200 and (await response.json())["total"] == 2
    stop.set()
    await asyncio.wait_for(task, 5)


# ---------------------------------------------------------------------- config
def test_a_host_other_than_loopback_needs_a_token() -> None:
    file = Path("/studio/phase_os.toml")
    with pytest.raises(ConfigError) as caught:
        load_config_text('[api]\nport = 8080\nhost = "0.0.0.0"\n', file)
    assert str(caught.value) == (
        f'{file} line 3: `api.host` is "0.0.0.0", not a loopback address: set `api.token` '
        "so only requests with `Authorization: Bearer <token>` are answered"
    )
    assert (caught.value.line, caught.value.key) == (3, "api.host")
    config = load_config_text('[api]\nhost = "0.0.0.0"\ntoken = "x"\n', file)
    assert (config.api.host, config.api.token) == ("0.0.0.0", "x")
    for loopback in ("localhost", "127.0.0.2", "::1"):
        assert load_config_text(f'[api]\nhost = "{loopback}"\n', file).api.host == loopback


def test_api_settings_defaults_and_page_sizes() -> None:
    assert load_config_text("").api == ApiSettings()
    assert ApiSettings() == ApiSettings("127.0.0.1", 7717, "", False, 50, 500)
    with pytest.raises(ConfigError, match=r"`api.page_size` \(600\) is larger than"):
        load_config_text("[api]\npage_size = 600\n")
    with pytest.raises(ConfigError, match="`api.port` expects a port number 1..65535"):
        load_config_text("[api]\nport = 70000\n")


def test_serve_refuses_an_open_host_without_token(context: StudioContext) -> None:
    root = str(context.studio.root)
    result = CliRunner().invoke(cli, ["--studio", root, "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "not a loopback address: set `api.token`" in result.output
