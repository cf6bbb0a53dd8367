"""Client sync figures against the real server on loopback: the first sync of a catalogue of
10,000 rewards, a sync where nothing changed (all 304), and a search over those rewards.
Targets: first sync <= 2 s, search <= 30 ms."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# Run as scripts by path: the repository root makes the test helpers importable as tests.support.
sys.path.insert(0, str(ROOT))

from loyalty_app.api.client import LoyaltyApi  # noqa: E402
from loyalty_app.domain.models import Reward  # noqa: E402
from loyalty_app.domain.rewards import RewardIndex  # noqa: E402
from loyalty_app.store.store import Store  # noqa: E402
from loyalty_app.sync.engine import SyncEngine  # noqa: E402
from tests.support.servers import ServerProcess  # noqa: E402

REWARDS = 10_000
WORDS = [
    "espresso",
    "latte",
    "mug",
    "tumbler",
    "croissant",
    "muffin",
    "beans",
    "cold brew",
    "tea",
    "cookie",
    "scone",
    "bagel",
    "matcha",
    "mocha",
    "cap",
]
ZH = ["浓缩", "拿铁", "马克杯", "随行杯", "可颂", "松饼", "咖啡豆", "冷萃", "茶", "曲奇"]


def big_programme(directory: Path) -> Path:
    demo = (ROOT / "src/loyalty_server/programmes/harbor_coffee.toml").read_text()
    lines = [demo]
    for i in range(REWARDS):
        w, z = WORDS[i % len(WORDS)], ZH[i % len(ZH)]
        lines.append(f"""
[[rewards]]
id = "bench-{i}"
category = "merchandise"
cost = {100 + (i * 37) % 9000}
voucher_valid_days = 30
name.en = "Harbor {w} no. {i}"
name.zh-Hans = "港湾{z} {i}号"
name.zh-Hant = "港灣{z} {i}號"
description.en = "A {w} from the Harbor collection, item {i}."
description.zh-Hans = "港湾系列{z}，第{i}件。"
description.zh-Hant = "港灣系列{z}，第{i}件。"
terms.en = "One per voucher."
terms.zh-Hans = "每张券限一件。"
terms.zh-Hant = "每張券限一件。"
""")
    path = directory / "big.toml"
    path.write_text("".join(lines))
    return path


async def measure(base: str, data_dir: Path) -> None:
    async with httpx.AsyncClient() as client:
        session = (await client.post(f"{base}/v1/auth/demo", json={})).json()
    from loyalty_app.api.auth import TokenHolder

    tokens = TokenHolder(session["access_token"], session["refresh_token"])
    store = Store.open(data_dir / "bench.db")
    async with LoyaltyApi(base, tokens, timeout=30) as api:
        engine = SyncEngine(api, store)
        started = time.perf_counter()
        state = await engine.sync("manual")
        first = time.perf_counter() - started
        assert state.connectivity == "online", state.last_error
        items = store.get_snapshot("rewards").data["items"]
        nochange = []
        for _ in range(10):
            started = time.perf_counter()
            state = await engine.sync("manual")
            nochange.append(time.perf_counter() - started)
        assert state.not_modified == state.requests
    started = time.perf_counter()
    rewards = [Reward.from_json(r) for r in items]
    index = RewardIndex(rewards)
    build = time.perf_counter() - started
    searches = []
    for query in ["latte", "mug 12", "拿铁", "港灣", "harbor", "zzz-nothing", "cold brew 99"]:
        for _ in range(5):
            started = time.perf_counter()
            index.search(query, "en")
            searches.append(time.perf_counter() - started)
    store.close()
    print(f"rewards in catalogue:        {len(items)}")
    print(f"first sync (all resources):  {first * 1000:8.1f} ms   (target <= 2000 ms)")
    print(
        f"no-change sync, median:      {statistics.median(nochange) * 1000:8.1f} ms   "
        f"({state.requests} conditional requests, all 304)"
    )
    print(f"search index build:          {build * 1000:8.1f} ms")
    print(
        f"search, median / max:        {statistics.median(searches) * 1000:8.2f} / "
        f"{max(searches) * 1000:.2f} ms   (target <= 30 ms)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        programme = big_programme(tmpdir)
        server = ServerProcess(
            f"sqlite:///{tmpdir}/server.db",
            programme=programme,
            demo=True,
            log_path=tmpdir / "server.log",
        )
        with server:
            asyncio.run(measure(server.base_url, tmpdir))


if __name__ == "__main__":
    main()
