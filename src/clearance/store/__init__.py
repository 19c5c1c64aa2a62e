"""The versioned list store: every loaded list version kept as an immutable snapshot."""

from clearance.store.list_store import ListStore, LoadResult, Snapshot

__all__ = ["ListStore", "LoadResult", "Snapshot"]
