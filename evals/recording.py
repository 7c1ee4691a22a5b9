"""Recorded LLM responses: one vcrpy cassette per question under evals/recordings/<model>/, plus a
manifest.json saying where they came from (a real model or a fixture), when, and with which prompts.

vcrpy settings follow shared/design.md: match on the request body (the default ignores it, so every
chat POST would match every other), redact only credential headers, decode compressed responses, and
replay with record_mode "none" so an unrecorded request raises instead of reaching the network.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = ROOT / "evals" / "recordings"
FILTER_HEADERS = ["authorization", "api-key", "openai-organization"]
FILTER_QUERY = ["api-key", "api_key", "key"]
MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "body"]
FIXTURE_HEADER = "x-fixture"  # tests/fixtures/fake_openai.py marks every response with it
REPLAY_API_KEY = "replay-dummy-key"
DEFAULT_ENDPOINT = "https://api.openai.com/v1"  # what the openai client uses without a base URL


class RecordingError(RuntimeError):
    """A replay that cannot be trusted: missing cassette, unrecorded request, failed LLM call."""


@dataclass
class Manifest:
    model: str
    endpoint: str  # base URL, credentials stripped
    date: str
    source: str  # "real model" | "fixture"
    prompt_versions: dict[str, str]
    question_ids: list[str]
    settings: dict[str, Any] = field(default_factory=dict)  # top_k, context_tokens, temperature
    vcr: dict[str, Any] = field(default_factory=lambda: {"match_on": MATCH_ON, "filter_headers": FILTER_HEADERS})

    @property
    def is_fixture(self) -> bool:
        return self.source == "fixture"

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"
        (folder / "manifest.json").write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / "manifest.json"
        if not path.is_file():
            raise RecordingError(f"no recordings at {folder} (manifest.json missing); record them with --record")
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def folder_name(model: str) -> str:
    """A model name as a folder: org/model:tag -> org_model_tag."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"


def recordings_dir(model: str, root: Path = RECORDINGS) -> Path:
    return root / folder_name(model)


def available(root: Path = RECORDINGS) -> list[str]:
    return sorted(p.name for p in root.glob("*") if (p / "manifest.json").is_file())


def cassette_path(folder: Path, question_id: str) -> Path:
    return folder / f"{question_id}.yaml"


def strip_credentials(url: str | None) -> str:
    """Base URL without user:password@ and without key-like query parameters."""
    if not url:
        return DEFAULT_ENDPOINT
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in FILTER_QUERY])
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), query, ""))


def _drop_failures(response: dict[str, Any]) -> dict[str, Any] | None:
    """Record only successful exchanges: a retried 429/5xx would otherwise replay as an error."""
    return response if response["status"]["code"] < 400 else None


def make_vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        match_on=MATCH_ON,
        filter_headers=FILTER_HEADERS,
        filter_query_parameters=FILTER_QUERY,
        decode_compressed_response=True,
        before_record_response=_drop_failures,
    )


def has_fixture_responses(cassette: Any) -> bool:
    return any(FIXTURE_HEADER in {k.lower() for k in r.get("headers", {})} for r in cassette.responses)


def find_cassette_miss(exc: BaseException | None) -> CannotOverwriteExistingCassetteException | None:
    """The vcrpy miss behind an exception (the openai client wraps it in APIConnectionError)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, CannotOverwriteExistingCassetteException):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class _ExceptionCatcher(logging.Handler):
    """Collects exceptions that ChatService logs before falling back to the extractive answerer."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.errors += [a for a in args if isinstance(a, BaseException)]
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


@contextmanager
def catch_llm_errors(logger_name: str = "service.chat.service") -> Iterator[_ExceptionCatcher]:
    """ChatService swallows LLM errors (it falls back and sets `notice`); this sees them anyway."""
    logger = logging.getLogger(logger_name)
    catcher = _ExceptionCatcher()
    old_level = logger.level
    if not logger.isEnabledFor(logging.WARNING):
        logger.setLevel(logging.WARNING)
    logger.addHandler(catcher)
    try:
        yield catcher
    finally:
        logger.removeHandler(catcher)
        logger.setLevel(old_level)
