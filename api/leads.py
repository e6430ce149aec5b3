"""POST /api/leads: a diver asks to be put in touch with a partner dive shop."""

from __future__ import annotations

import logging
import uuid

from fastapi import APIRouter, Request

from api.errors import ERROR_RESPONSES, DatabaseUnavailable
from api.schemas import LeadRequest, LeadResponse
from api.sessions import DB_ERRORS
from store.leads import save_lead

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["leads"])


@router.post("/leads", status_code=201, response_model=LeadResponse, responses=ERROR_RESPONSES)
async def create_lead(body: LeadRequest, request: Request) -> LeadResponse:
    """Store the lead first; delivery to the shop happens after, with retries."""
    state = request.app.state
    await state.limiter.check(request, "leads", state.leads_limit)
    if body.website:
        # A bot filled the hidden field: it sees success, nothing is stored or sent.
        log.info("lead honeypot triggered")
        return LeadResponse(lead_id=str(uuid.uuid4()))
    lead = body.data
    data = lead.model_dump(by_alias=True, exclude_none=True, exclude={"name", "email"})
    try:
        lead_id, new = await save_lead(
            state.pool,
            lead_type=body.type,
            name=lead.name,
            email=lead.email,
            data=data,
            session_id=body.session_id,
            channels=state.lead_channels,
        )
    except DB_ERRORS as error:
        raise DatabaseUnavailable() from error
    log.info("lead %s (%s) %s", lead_id, body.type, "stored" if new else "merged into a duplicate")
    if new and getattr(state, "lead_delivery", None):
        state.lead_delivery.wake.set()
    return LeadResponse(lead_id=lead_id)
