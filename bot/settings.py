"""Configuration from ``BOT_*`` environment variables and a ``.env`` file (pydantic-settings).

Every setting has a default except ``BOT_TOKEN``, which only the Telegram bot needs. A malformed
value stops the program at start with a message naming the variable (``settings_error``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The shipped knowledge file, next to the ``bot`` package.
DEFAULT_KNOWLEDGE_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "qa.yaml"
# Where `review` records questions marked "not in the article" (a labelled file, expect: []).
DEFAULT_REGRESSIONS_FILE = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "regressions.yaml"
)


class Settings(BaseSettings):
    """All settings; environment variable names are the field names upper-cased, with BOT_."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    api_base_file_url: str | None = None
    knowledge_file: Path = DEFAULT_KNOWLEDGE_FILE
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    db_path: Path = Path("bot-log.sqlite3")
    regressions_file: Path = DEFAULT_REGRESSIONS_FILE
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_max_connections: int = Field(default=100, ge=1)
    webhook_timeout: float = Field(default=10.0, gt=0)
    rate_limit: bool = True
    log_level: str = "INFO"
    answer_threshold: float = Field(default=78.0, ge=0, le=100)
    suggest_threshold: float = Field(default=20.0, ge=0, le=100)
    ambiguity_margin: float = Field(default=6.0, ge=0, le=100)
    confident_threshold: float = Field(default=100.0, ge=0, le=100)
    max_unknown_share: float = Field(default=0.25, ge=0, le=1)
    clear_answer_threshold: float = Field(default=55.0, ge=0, le=101)
    clear_margin: float = Field(default=20.0, ge=0, le=100)
    clear_max_unknown_share: float = Field(default=0.45, ge=0, le=1)
    long_question_words: int = Field(default=8, ge=1)
    long_answer_threshold: float = Field(default=40.0, ge=0, le=101)
    long_margin: float = Field(default=12.0, ge=0, le=100)
    long_max_unknown_share: float = Field(default=0.55, ge=0, le=1)
    sibling_margin: float = Field(default=15.0, ge=0, le=100)
    min_agreement: float = Field(default=0.2, ge=0, le=1)
    close_phrasing: float = Field(default=0.8, ge=0, le=1.01)
    agreed_answer_threshold: float = Field(default=65.0, ge=0, le=101)
    agreed_margin: float = Field(default=6.0, ge=0, le=100)
    agreed_max_unknown_share: float = Field(default=0.45, ge=0, le=1)
    agreed_share: float = Field(default=0.4, ge=0, le=1)
    reload_interval: float = Field(default=3.0, ge=0)
    poll_timeout: int = Field(default=30, ge=0, le=50)
    request_timeout: float = Field(default=10.0, gt=0)
    flood_limit: int = Field(default=10, ge=1)
    flood_window: float = Field(default=60.0, gt=0)
    chat_backlog: int = Field(default=20, ge=1)
    answer_retry_window: float = Field(default=60.0, gt=0)
    outbox_max_age: float = Field(default=3600.0, gt=0)
    outbox_per_chat: int = Field(default=5, ge=1)
    outbox_retry_max: float = Field(default=30.0, gt=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a numeric Telegram user id")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip() == "":
            return None
        if value is not None and ":" not in value.get_secret_value():
            raise ValueError("does not look like a bot token from BotFather (123456:ABC...)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("BOT_WEBHOOK_SECRET is required when BOT_WEBHOOK_URL is set")
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("BOT_SUGGEST_THRESHOLD must not be above BOT_ANSWER_THRESHOLD")
        return self


def settings_error(exc: ValidationError) -> str:
    """Describe a settings failure naming each environment variable at fault."""
    lines = ["Invalid configuration:"]
    for error in exc.errors():
        name = "BOT_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"  {name}: {message}")
    return "\n".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and ``.env``; raise ``ValidationError`` if bad."""
    return Settings(**overrides)  # type: ignore[arg-type]
