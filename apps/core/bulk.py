"""Inserting many rows quickly: the read-audit rows of every list page, and the synthetic clinic.

`insert_rows` writes plain tuples, skipping model instances and Django's per-value insert
machinery, which at a hundred rows a page was half the time of a clinician's list. A list
page's rows are one query on both databases: PostgreSQL gets many rows in each statement (not
a round trip per row); SQLite (in-process) runs one statement for each row with executemany,
inside a transaction (in autocommit it would commit every row). No signals, no `save()`:
callers name every column that has no database default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    GenericIPAddressField,
    JSONField,
    Model,
)

MULTI_ROW = 1000


def insert_rows(model: type[Model], names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows (PostgreSQL: MULTI_ROW to a statement; SQLite: executemany):
    several times quicker than bulk_create (no model instances, values adapted once per
    type). Every column without a database default must be named."""
    if not rows:
        return
    fields = [f for f in (model._meta.get_field(name) for name in names) if isinstance(f, Field)]
    if len(fields) != len(names):
        raise ValueError("insert_rows takes the names of concrete columns only")
    ops, quote = connection.ops, connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    adapt: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, DateTimeField):
            adapt.append(ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            adapt.append(ops.adapt_datefield_value)
        elif isinstance(f, DecimalField):
            adapt.append(partial(ops.adapt_decimalfield_value, max_digits=f.max_digits))
        elif isinstance(f, GenericIPAddressField):
            adapt.append(ops.adapt_ipaddressfield_value)
        elif isinstance(f, JSONField):
            adapt.append(partial(f.get_db_prep_save, connection=connection))
        else:
            adapt.append(None)
    prepared = [
        tuple(v if a is None or v is None else a(v) for a, v in zip(adapt, row, strict=True))
        for row in rows
    ]
    # Several statements commit together (SQLite in autocommit would commit every row).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: the statement run for each row (one executemany) is quickest.
            row_sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608
            cursor.executemany(row_sql, prepared)
            return
        # Over a network: many rows in each statement, not a round trip for each row.
        per_statement = max(1, min(MULTI_ROW, _max_params() // len(fields)))
        for start in range(0, len(prepared), per_statement):
            batch = prepared[start : start + per_statement]
            values = ", ".join([f"({marks})"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608  # nosec B608
                [v for row in batch for v in row],
            )


def _max_params() -> int:
    """How many parameters one PostgreSQL statement may carry."""
    return 65535
