"""Close the turn: the answer, its follow-up question and flags, as the HTTP layer reads them."""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from graph.state import ChatState

# A question is the text since the last sentence end that ends in "?". The lookbehind
# starts a match only there: without it, each position of a long stretch with no sentence
# end was tried and scanned to the stretch's end, quadratic in its length (a 300-word
# reply with no full stop: 6.3 ms, now 0.03 ms), on the event loop every turn waits on.
QUESTION = re.compile(r"(?<![^.!?\n])[^.!?\n]*\?")


def follow_up_of(answer: str) -> str | None:
    questions = QUESTION.findall(answer)
    return questions[-1].strip() if questions else None


# async though it never awaits: LangGraph runs a plain function on a thread of the
# executor, and the hop there and back costs more than the function itself.
async def finalize(state: ChatState, config: RunnableConfig) -> dict:
    answer = next(
        (str(m.content) for m in reversed(state["messages"]) if isinstance(m, AIMessage)), ""
    )
    emergency = state.get("route") == "emergency"
    flags = list(dict.fromkeys(state.get("safety_flags") or []))
    return {
        "answer": answer,
        "follow_up": None if emergency else follow_up_of(answer),
        "lead_offer": bool(state.get("lead_offer")) and not emergency,
        "safety_flags": flags,
    }
