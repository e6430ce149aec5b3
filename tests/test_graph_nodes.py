"""The graph with a counting fake model and a fixed retriever: no database needed."""

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from config.settings import Settings
from graph.graph import build_graph
from graph.nodes.agents import HISTORY_MESSAGES, bounded_history, retrieval_query
from graph.services import Services
from tests.fakes import CountingChatModel, FixedRetriever, passage

SITE = passage(
    "destinations/tioman/sites/renggis-island.md",
    "Renggis Island\nRenggis is a shallow reef from 5 to 14 m.",
    title="Renggis Island",
    section="Depth and conditions",
    similarity=0.7,
)
NOISE = passage("general/photography.md", "Photography\nUse a red filter.", similarity=0.1)


@pytest.fixture
def graph_and_fakes():
    model = CountingChatModel()
    retriever = FixedRetriever([SITE, NOISE])
    services = Services(
        settings=Settings(_env_file=None), embeddings=None, chat_model=model, retriever=retriever
    )
    graph = build_graph().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t1", "services": services}}
    return graph, model, retriever, config


async def test_a_question_costs_exactly_one_model_call(graph_and_fakes):
    graph, model, retriever, config = graph_and_fakes
    state = await graph.ainvoke({"messages": [HumanMessage("How deep is Renggis?")]}, config)
    assert model.calls == 1
    assert retriever.queries == ["How deep is Renggis?"]
    assert state["messages"][-1].content == model.reply
    assert state["route"] == "general"
    # Only passages above the similarity floor reach the prompt and the citations.
    assert state["citations"] == [
        {"path": SITE["path"], "title": "Renggis Island", "section": "Depth and conditions"}
    ]
    prompt = model.prompts[0][0].content
    assert "5 to 14 m" in prompt and "red filter" not in prompt


async def test_greetings_and_thanks_cost_no_model_call(graph_and_fakes):
    graph, model, retriever, config = graph_and_fakes
    for text in ("hi there!", "Thanks so much"):
        state = await graph.ainvoke({"messages": [HumanMessage(text)]}, config)
        assert state["route"] in ("greeting", "thanks")
        assert state["citations"] == []
    assert model.calls == 0 and retriever.queries == []


async def test_turns_append_to_history_and_the_model_sees_it(graph_and_fakes):
    graph, model, retriever, config = graph_and_fakes
    await graph.ainvoke({"messages": [HumanMessage("Tell me about Renggis Island")]}, config)
    state = await graph.ainvoke({"messages": [HumanMessage("what about in March?")]}, config)
    assert [m.type for m in state["messages"]] == ["human", "ai", "human", "ai"]
    assert state["messages"][1].id != state["messages"][3].id
    # The elliptic follow-up is searched together with the question it follows.
    assert retriever.queries[-1] == "Tell me about Renggis Island what about in March?"
    assert model.prompts[-1][1].content == "Tell me about Renggis Island"


def test_history_sent_to_the_model_is_bounded_and_opens_on_the_diver():
    messages = []
    for i in range(20):
        messages += [HumanMessage(f"q{i}"), AIMessage(f"a{i}")]
    messages.append(HumanMessage("latest"))
    window = bounded_history(messages)
    assert len(window) <= HISTORY_MESSAGES
    assert isinstance(window[0], HumanMessage)
    assert window[-1].content == "latest"


def test_a_clear_new_question_is_searched_on_its_own():
    state = {
        "messages": [
            HumanMessage("Tell me about Tioman"),
            AIMessage("..."),
            HumanMessage("What certification do I need to dive the Thistlegorm wreck?"),
        ]
    }
    assert retrieval_query(state) == "What certification do I need to dive the Thistlegorm wreck?"
