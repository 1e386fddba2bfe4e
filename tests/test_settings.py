"""Settings from BOT_* variables and .env: defaults, parsing, and errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.core.thresholds import thresholds_from
from bot.settings import Settings, settings_error


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Isolate from the developer's environment and .env."""
    import os

    for name in [k for k in os.environ if k.startswith("BOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_token() -> None:
    """Without any variable the settings load; the token is simply absent."""
    settings = Settings()
    assert settings.token is None
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.webhook_port == 8443 and settings.webhook_listen == "127.0.0.1"
    assert settings.rate_limit is True
    assert thresholds_from(settings).answer == settings.answer_threshold


def test_env_file_is_read(tmp_path: Path) -> None:
    """A .env file in the working directory supplies values."""
    (tmp_path / ".env").write_text("BOT_TOKEN=123:abc\nBOT_ADMIN_IDS=1, 22 ,333\n")
    settings = Settings()
    assert settings.token is not None and settings.token.get_secret_value() == "123:abc"
    assert settings.admin_ids == frozenset({1, 22, 333})


def test_token_is_secret_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token never shows in the settings' repr or str."""
    monkeypatch.setenv("BOT_TOKEN", "123456:VERY-SECRET")
    settings = Settings()
    assert "VERY-SECRET" not in repr(settings) and "VERY-SECRET" not in str(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_WEBHOOK_PORT", "abc"),
        ("BOT_WEBHOOK_PORT", "70000"),
        ("BOT_ADMIN_IDS", "12,alice"),
        ("BOT_LOG_LEVEL", "LOUD"),
        ("BOT_TOKEN", "no-colon"),
        ("BOT_ANSWER_THRESHOLD", "150"),
        ("BOT_RATE_LIMIT", "sometimes"),
    ],
)
def test_malformed_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Each malformed value fails with a message naming its variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert name in settings_error(caught.value)


def test_webhook_requires_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting a webhook URL without a secret is refused at start."""
    monkeypatch.setenv("BOT_WEBHOOK_URL", "https://example.org/hook")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert "BOT_WEBHOOK_SECRET" in settings_error(caught.value)


def test_suggest_threshold_cannot_exceed_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suggest threshold must not be above the answer threshold."""
    monkeypatch.setenv("BOT_ANSWER_THRESHOLD", "50")
    monkeypatch.setenv("BOT_SUGGEST_THRESHOLD", "60")
    with pytest.raises(ValidationError):
        Settings()
