"""Reporting helpers used by the order views and the nightly export."""
import subprocess

from django.db import connection

SORTABLE_COLUMNS = {"created": "created", "total": "total", "id": "id"}


def orders_by_status(status, sort_column):
    order_by = SORTABLE_COLUMNS.get(sort_column, "created")
    sql = "SELECT id, total, created FROM orders_order WHERE status = %s ORDER BY " + order_by
    with connection.cursor() as cursor:
        cursor.execute(sql, [status])
        return cursor.fetchall()


def export_csv(export_id):
    target = f"/srv/exports/orders-{int(export_id)}.csv"
    with open(target, "wb") as out:
        subprocess.run(["pg_dump", "--table=orders_order", "--format=plain"], stdout=out, check=True)
