"""Reporting helpers used by the order views and the nightly export."""
import subprocess

from django.db import connection


def orders_by_status(status, sort_column):
    sql = "SELECT id, total, created FROM orders_order WHERE status = '%s' ORDER BY %s" % (status, sort_column)
    with connection.cursor() as cursor:
        cursor.execute(sql)  # expect: DJANGO-SQL-001
        return cursor.fetchall()


def export_csv(filename):
    subprocess.run(f"pg_dump --table=orders_order --format=csv > /srv/exports/{filename}", shell=True, check=True)  # expect: DJANGO-CMD-001
