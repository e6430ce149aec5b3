"""What the emergency detectors cost per turn, on the real database and the bundled model.

    python -m benchmarks.emergency_detector [--turns 300]

Prints, per turn: the rules alone, the learned detector's scoring of the turn's vector and
the rules' signals (the embedding is the router's and is excluded: it is computed once per
turn either way),
and the whole gate as the service runs it with the embedding already in the query cache.
Also the start-up cost: reading the bank through the embedding cache and fitting.
Target: the learned detector adds <= 2 ms per turn.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from benchmarks.common import dev_queries, print_calibration, summary_ms
from config.settings import get_settings
from graph.routing.emergency import assess, fold, signals
from graph.routing.emergency_detector import build_detector
from store.database import resolve_database_url
from store.pool import open_pool


async def main(turns: int) -> None:
    from chains.models import load_embeddings

    settings = get_settings()
    pool = await open_pool(resolve_database_url(settings), max_size=2)
    embeddings = load_embeddings(settings)
    try:
        await build_detector(pool, embeddings)  # the first start embeds the bank
        started = time.perf_counter()
        detector = await build_detector(pool, embeddings)
        warm = time.perf_counter() - started
        learned = detector.learned
        assert learned is not None
        texts = (dev_queries(200) * (turns // 100 + 1))[:turns]
        vectors = {t: await embeddings.aembed_query(t) for t in set(texts)}

        rules, scoring, gate = [], [], []
        for text in texts:
            t0 = time.perf_counter()
            assess(text)
            t1 = time.perf_counter()
            learned.probability(vectors[text], signals(fold(text)))
            t2 = time.perf_counter()
            await detector.assess(text)  # rules, cached embedding, scoring
            t3 = time.perf_counter()
            rules.append(t1 - t0)
            scoring.append(t2 - t1)
            gate.append(t3 - t2)
        print(f"emergency detector · {turns} turns · bank fitted in {warm * 1000:.0f} ms (warm)")
        print(f"  rules alone:                 {summary_ms(rules)}")
        print(f"  learned scoring (+ signals): {summary_ms(scoring)}")
        print(f"  whole gate, vector cached:   {summary_ms(gate)}")
    finally:
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    print_calibration()
    asyncio.run(main(parser.parse_args().turns))
