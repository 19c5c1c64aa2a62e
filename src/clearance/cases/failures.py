"""What can go wrong with the case store, each a `ClearanceError` of its kind with a stable code."""

from __future__ import annotations

from clearance.errors import ConflictError, IntegrityError, UnavailableError


class CaseStoreError(UnavailableError):
    """The case database cannot be opened, reached, locked or migrated by this version."""

    code = "case_store_unavailable"


class WorkflowError(ConflictError):
    """A case action its state forbids now: deciding a decided case, approving one's own decision."""

    code = "case_state"


class AuditChainError(IntegrityError):
    """The audit trail fails its hash chain: a record was edited, removed or reordered."""

    code = "audit_chain_broken"
