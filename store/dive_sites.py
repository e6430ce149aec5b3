"""Destinations and dive sites as rows: written by ingest, queried by the trip agent."""

from __future__ import annotations

from psycopg import AsyncConnection

from ingest.schema import CERTIFICATION_LEVELS, DestinationDoc, DiveSiteDoc


def certification_rank(level: str) -> int:
    return CERTIFICATION_LEVELS.index(level)


async def replace_for_path(conn: AsyncConnection, path: str, document) -> None:
    """Make the rows of `path` match its front matter (inside the caller's transaction)."""
    await delete_for_path(conn, path)
    if isinstance(document, DestinationDoc):
        await conn.execute(
            """
            INSERT INTO destinations (slug, path, name, country, region, description,
                best_months, water_temp_min_c, water_temp_max_c, visibility_min_m,
                visibility_max_m)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (slug) DO UPDATE SET path = EXCLUDED.path, name = EXCLUDED.name,
                country = EXCLUDED.country, region = EXCLUDED.region,
                description = EXCLUDED.description, best_months = EXCLUDED.best_months,
                water_temp_min_c = EXCLUDED.water_temp_min_c,
                water_temp_max_c = EXCLUDED.water_temp_max_c,
                visibility_min_m = EXCLUDED.visibility_min_m,
                visibility_max_m = EXCLUDED.visibility_max_m, updated_at = now()
            """,
            (
                document.destination,
                path,
                document.title,
                document.country,
                document.region,
                document.description,
                list(document.best_months),
                *document.water_temp_c,
                *document.visibility_m,
            ),
        )
    elif isinstance(document, DiveSiteDoc):
        await conn.execute(
            """
            INSERT INTO dive_sites (path, destination, name, description, depth_min_m,
                depth_max_m, min_certification, certification_rank, difficulty, current,
                site_type, highlights, snorkel_only)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            (
                path,
                document.destination,
                document.site_name,
                document.description,
                *document.depth_range_m,
                document.min_certification,
                certification_rank(document.min_certification),
                document.difficulty,
                document.current,
                document.site_type,
                list(document.highlights),
                document.snorkel_only,
            ),
        )


async def delete_for_path(conn: AsyncConnection, path: str) -> None:
    await conn.execute("DELETE FROM destinations WHERE path = %s", (path,))
    await conn.execute("DELETE FROM dive_sites WHERE path = %s", (path,))


async def sites_for(
    conn: AsyncConnection,
    destination: str,
    *,
    certification: str | None = None,
    max_depth_m: int | None = None,
) -> list[dict]:
    """Sites at `destination` that a diver of `certification` may dive, easiest first.

    With `max_depth_m`, only sites whose shallowest part is within the diver's limit. A
    snorkel-only site is no dive for any certification.
    """
    clauses = ["destination = %(destination)s"]
    params: dict = {"destination": destination}
    if certification is not None:
        clauses.append("NOT snorkel_only")
        clauses.append("certification_rank <= %(rank)s")
        params["rank"] = certification_rank(certification)
    if max_depth_m is not None:
        clauses.append("depth_min_m <= %(depth)s")
        params["depth"] = max_depth_m
    cur = await conn.execute(
        f"""
        SELECT path, destination, name, description, depth_min_m, depth_max_m,
               min_certification, difficulty, current, site_type, highlights, snorkel_only
        FROM dive_sites WHERE {" AND ".join(clauses)}
        ORDER BY certification_rank, depth_max_m, name
        """,
        params,
    )
    return await cur.fetchall()


async def destination(conn: AsyncConnection, slug: str) -> dict | None:
    cur = await conn.execute("SELECT * FROM destinations WHERE slug = %s", (slug,))
    return await cur.fetchone()


class SiteCatalog:
    """The dive_sites table as the trip agent sees it."""

    def __init__(self, pool) -> None:
        self.pool = pool

    async def sites(
        self, destination: str, *, certification: str | None = None, max_depth_m: int | None = None
    ) -> list[dict]:
        async with self.pool.connection() as conn:
            return await sites_for(
                conn, destination, certification=certification, max_depth_m=max_depth_m
            )

    async def site_names(self) -> dict[str, str]:
        """lower-case site name -> destination slug, for recognising places in messages."""
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT lower(name) AS name, destination FROM dive_sites")
            return {row["name"]: row["destination"] for row in await cur.fetchall()}

    async def named_sites(self) -> list[dict]:
        """Every site's name, destination and path, for recognising sites in messages."""
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT name, destination, path FROM dive_sites ORDER BY path")
            return await cur.fetchall()
