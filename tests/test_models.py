from langchain_core.runnables.fallbacks import RunnableWithFallbacks

from chains.extractive import ExtractiveAnswerer
from chains.models import load_chat_model, load_chat_runnable
from config.settings import Settings


def test_offline_configuration_builds_the_extractive_answerer():
    model = load_chat_runnable(Settings(_env_file=None, chat_model="auto"))
    assert isinstance(model, ExtractiveAnswerer)


def test_two_providers_build_a_fallback_chain_with_timeouts_and_retries():
    settings = Settings(
        _env_file=None,
        chat_model="auto",
        chat_fallback_model="auto",
        google_api_key="g-key",
        groq_api_key="q-key",
        llm_timeout_seconds=7,
        llm_max_retries=3,
    )
    runnable = load_chat_runnable(settings)
    assert isinstance(runnable, RunnableWithFallbacks)
    primary, fallback = runnable.runnable, runnable.fallbacks[0]
    assert type(primary).__name__ == "ChatGoogleGenerativeAI"
    assert type(fallback).__name__ == "ChatGroq"
    # Google's SDK counts attempts (the first call included): 3 retries are 4 attempts.
    assert primary.timeout == 7 and primary.max_retries == 4
    assert fallback.request_timeout == 7 and fallback.max_retries == 3


def test_unknown_offline_model_is_refused():
    try:
        load_chat_model("offline/gpt", Settings(_env_file=None))
    except ValueError as error:
        assert "extractive" in str(error)
    else:
        raise AssertionError("offline/gpt should be refused")


def test_base_urls_reach_both_clients():
    settings = Settings(
        _env_file=None,
        chat_model="groq/llama-3.3-70b-versatile",
        chat_fallback_model="google_genai/gemini-2.5-flash",
        google_api_key="g-key",
        groq_api_key="q-key",
        groq_api_base="http://127.0.0.1:9/groq",
        gemini_api_base="http://127.0.0.1:9/gemini",
    )
    runnable = load_chat_runnable(settings)
    assert runnable.runnable.groq_api_base == "http://127.0.0.1:9/groq"
    assert runnable.fallbacks[0].base_url == "http://127.0.0.1:9/gemini"
