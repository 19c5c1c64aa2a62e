"""Batch engines: a file of parties screened into a file of records, in input order.

`embedded` runs here, in worker processes that share the persisted name index;
`clearance.spark` runs on a Spark cluster. Both screen each row with
`clearance.app.batch_records`, so their records are the same.
"""

from clearance.engine.embedded import BatchJob, BatchTotals, screen_file

__all__ = ["BatchJob", "BatchTotals", "screen_file"]
