import pytest

from config.settings import ConfigurationError, Settings, get_settings


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "CHAT_MODEL",
        "EMBEDDING_MODEL",
        "CHAT_FALLBACK_MODEL",
        "GOOGLE_API_KEY",
        "GEMINI_API_KEY",
        "GROQ_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _error(monkeypatch, **env) -> str:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    return str(raised.value)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CHAT_MODEL": "openai/gpt-4o"}, "CHAT_MODEL"),
        ({"CHAT_MODEL": "gemini"}, "CHAT_MODEL"),
        ({"EMBEDDING_MODEL": "groq/whatever"}, "EMBEDDING_MODEL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"CORS_ORIGINS": "*"}, "CORS_ORIGINS"),
        ({"DATABASE_URL": "mysql://localhost/db"}, "DATABASE_URL"),
        ({"CHAT_MODEL": "google_genai/gemini-2.5-flash"}, "GOOGLE_API_KEY"),
        ({"CHAT_FALLBACK_MODEL": "groq/llama-3.3-70b-versatile"}, "GROQ_API_KEY"),
    ],
)
def test_a_wrong_value_names_its_variable(clean_env, env, named):
    assert named in _error(clean_env, **env)


def test_without_keys_everything_runs_offline(clean_env):
    settings = Settings(_env_file=None, chat_model="auto", embedding_model="auto")
    assert settings.resolved_chat_model == "offline/extractive"
    assert settings.resolved_chat_fallback_model is None
    assert settings.resolved_embedding_model == "local/all-MiniLM-L6-v2"


def test_keys_choose_hosted_models_and_the_other_provider_backs_up(clean_env):
    settings = Settings(
        _env_file=None,
        google_api_key="g-key",
        groq_api_key="q-key",
        chat_model="auto",
        embedding_model="auto",
    )
    assert settings.resolved_chat_model.startswith("google_genai/")
    assert settings.resolved_chat_fallback_model.startswith("groq/")
    assert settings.resolved_embedding_model == "google_genai/gemini-embedding-001"
    only_groq = Settings(_env_file=None, groq_api_key="q-key", chat_model="auto")
    assert only_groq.resolved_chat_model.startswith("groq/")
    assert only_groq.resolved_chat_fallback_model is None


def test_cors_origins_accept_a_comma_separated_list(clean_env):
    clean_env.setenv("CORS_ORIGINS", "https://dovvybuddy.com, http://localhost:3000")
    assert get_settings().cors_origins == ["https://dovvybuddy.com", "http://localhost:3000"]
